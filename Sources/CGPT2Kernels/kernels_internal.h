// Shared by the kernel files; not part of the public interface.
#ifndef CGPT2_KERNELS_INTERNAL_H
#define CGPT2_KERNELS_INTERNAL_H

#include "CGPT2Kernels.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define QK GPT2_Q8_0_BLOCK_VALUES
#define QB GPT2_Q8_0_BLOCK_BYTES

// Little-endian loads that need no alignment (blocks are 34 bytes, so they never are aligned).
static inline uint16_t gpt2_load_u16(const uint8_t *p) {
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t gpt2_float_bits(float f) {
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static inline float gpt2_bits_float(uint32_t u) {
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

// Exact widening of an IEEE binary16 bit pattern.
static inline float gpt2_half_to_float(uint16_t h) {
    const uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    const uint32_t exponent = (h >> 10) & 0x1F;
    const uint32_t mantissa = h & 0x3FF;
    if (exponent == 0x1F) return gpt2_bits_float(sign | 0x7F800000u | (mantissa << 13));
    if (exponent != 0) return gpt2_bits_float(sign | ((exponent + 112) << 23) | (mantissa << 13));
    const float magnitude = (float)mantissa * 0x1p-24f; // zero or subnormal, exact
    return sign ? -magnitude : magnitude;
}

// fp32 → binary16, rounding to nearest even, in integer arithmetic only (so it gives the same
// bits as F16C's vcvtps2ph with rounding mode 0 on every platform).
static inline uint16_t gpt2_float_to_half(float f) {
    const uint32_t x = gpt2_float_bits(f);
    const uint16_t sign = (uint16_t)((x >> 16) & 0x8000);
    const uint32_t ax = x & 0x7FFFFFFFu;
    if (ax >= 0x7F800000u) { // infinity, or NaN made quiet with the top of its payload
        return (uint16_t)(sign | (ax > 0x7F800000u ? 0x7E00u | ((ax >> 13) & 0x3FFu) : 0x7C00u));
    }
    if (ax >= 0x477FF000u) return (uint16_t)(sign | 0x7C00u); // ≥ 65520 rounds to infinity
    if (ax >= 0x38800000u) { // normal half: rebias the exponent (127 → 15), round 13 bits away
        uint32_t r = ax - 0x38000000u;
        r += 0xFFFu + ((r >> 13) & 1u);
        return (uint16_t)(sign | (r >> 13));
    }
    const uint32_t e = ax >> 23;
    if (e < 102) return sign; // below 2^-25: rounds to zero
    // Subnormal half: value = m × 2^(e-150) = (m >> (126-e)) units of 2^-24, rounded to even.
    const uint32_t m = (ax & 0x7FFFFFu) | 0x800000u;
    const uint32_t shift = 126 - e; // 14 ... 24
    uint32_t q = m >> shift;
    const uint32_t rest = m & ((1u << shift) - 1);
    const uint32_t half = 1u << (shift - 1);
    if (rest > half || (rest == half && (q & 1u))) q += 1;
    return (uint16_t)(sign | q);
}

// round() of a value of magnitude below 2^23: nearest, halves away from zero (roundf), but
// written so that NaN gives 0 rather than undefined behaviour when converted to an integer.
static inline int8_t gpt2_round_to_int8(float v) {
    if (!(v > -127.5f)) return v != v ? 0 : -127; // NaN, or below the range
    if (!(v < 127.5f)) return 127;
    const float t = (float)(int32_t)v; // truncation, exact here
    const float rest = v - t;          // exact
    int32_t q = (int32_t)t;
    if (rest >= 0.5f) q += 1;
    if (rest <= -0.5f) q -= 1;
    return (int8_t)q;
}

// Per-block values of the activations used by the fast paths, prepared once per call:
// the scale as fp32, and -128 × Σ q (the correction for vpdpbusd's unsigned operand).
typedef struct gpt2_x_block_info {
    float d;
    int32_t correction;
} gpt2_x_block_info;

// Entries of prepared activation info kept on the stack per call (rows × blocks per chunk).
enum { GPT2_X_INFO_CAPACITY = 6144 };

// Splits `blocks` into near-equal chunks of at most `limit` blocks; returns the chunk length.
static inline int64_t gpt2_balanced_chunk(int64_t blocks, int64_t limit) {
    if (blocks <= limit) return blocks;
    const int64_t chunks = (blocks + limit - 1) / limit;
    return (blocks + chunks - 1) / chunks;
}

// --- Path implementations (each file defines its own; x86 ones only on x86-64) ---------------

void gpt2_quantize_rows_q8_0_portable(const float *x, void *y, int64_t rows, int64_t columns);
void gpt2_matmul_q8_0_portable(float *y, int64_t y_stride, const void *w, const void *x,
                               const float *bias, int64_t rows, int64_t columns, int64_t out_begin,
                               int64_t out_end);
float gpt2_dot_f32_portable(const float *a, const float *b, int64_t n);
void gpt2_axpy_f32_portable(float alpha, const float *x, float *y, int64_t n);

#if defined(__x86_64__)
void gpt2_quantize_rows_q8_0_avx2(const float *x, void *y, int64_t rows, int64_t columns);
void gpt2_matmul_q8_0_avx2(float *y, int64_t y_stride, const void *w, const void *x,
                           const float *bias, int64_t rows, int64_t columns, int64_t out_begin,
                           int64_t out_end);
float gpt2_dot_f32_avx2(const float *a, const float *b, int64_t n);
void gpt2_axpy_f32_avx2(float alpha, const float *x, float *y, int64_t n);

void gpt2_matmul_q8_0_avx512(float *y, int64_t y_stride, const void *w, const void *x,
                             const float *bias, int64_t rows, int64_t columns, int64_t out_begin,
                             int64_t out_end);
float gpt2_dot_f32_avx512(const float *a, const float *b, int64_t n);
void gpt2_axpy_f32_avx512(float alpha, const float *x, float *y, int64_t n);
#endif

#endif
