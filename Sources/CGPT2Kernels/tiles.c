// The tiled layout of Q8_0 weights (CGPT2Kernels.h): rearranging rows into tiles, and reading a
// row back. One path only: both run once per matrix or once per token, not per product.
#include "kernels_internal.h"

int64_t gpt2_q8_0_tiled_bytes(int64_t out, int64_t columns) {
    const int64_t tiles = (out + GPT2_Q8_0_TILE_ROWS - 1) / GPT2_Q8_0_TILE_ROWS;
    return tiles * (columns / QK) * GPT2_Q8_0_TILE_BLOCK_BYTES;
}

// Where row `row`'s part of tile block b is: its scale at block + 2j, its values at
// block + 32 + 64k + 4j (k in [0, 8)).
static inline uint8_t *gpt2_tile_block(const void *tiles, int64_t row, int64_t nb, int64_t b) {
    const int64_t tile = row / GPT2_Q8_0_TILE_ROWS;
    return (uint8_t *)tiles + (tile * nb + b) * GPT2_Q8_0_TILE_BLOCK_BYTES;
}

void gpt2_tile_put_row_q8_0(void *tiles, int64_t row, const void *in, int64_t columns) {
    const int64_t nb = columns / QK;
    const int64_t j = row % GPT2_Q8_0_TILE_ROWS;
    for (int64_t b = 0; b < nb; b++) {
        uint8_t *block = gpt2_tile_block(tiles, row, nb, b);
        if (!in) { // scale 0, values 0
            memset(block + 2 * j, 0, 2);
            for (int k = 0; k < 8; k++) memset(block + 32 + 64 * k + 4 * j, 0x80, 4);
            continue;
        }
        const uint8_t *from = (const uint8_t *)in + b * QB;
        memcpy(block + 2 * j, from, 2);
        for (int k = 0; k < 8; k++) {
            for (int i = 0; i < 4; i++) block[32 + 64 * k + 4 * j + i] = from[2 + 4 * k + i] ^ 0x80;
        }
    }
}

void gpt2_tile_get_row_q8_0(const void *tiles, int64_t row, void *out, int64_t columns) {
    const int64_t nb = columns / QK;
    const int64_t j = row % GPT2_Q8_0_TILE_ROWS;
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *block = gpt2_tile_block(tiles, row, nb, b);
        uint8_t *to = (uint8_t *)out + b * QB;
        memcpy(to, block + 2 * j, 2);
        for (int k = 0; k < 8; k++) {
            for (int i = 0; i < 4; i++) to[2 + 4 * k + i] = block[32 + 64 * k + 4 * j + i] ^ 0x80;
        }
    }
}

void gpt2_tile_q8_0(void *tiles, const void *w, int64_t out, int64_t columns, int64_t row_begin, int64_t row_end) {
    const int64_t row_bytes = columns / QK * QB;
    const int64_t first = row_begin / GPT2_Q8_0_TILE_ROWS * GPT2_Q8_0_TILE_ROWS;
    const int64_t last = (row_end + GPT2_Q8_0_TILE_ROWS - 1) / GPT2_Q8_0_TILE_ROWS * GPT2_Q8_0_TILE_ROWS;
    for (int64_t row = first; row < last; row++) {
        gpt2_tile_put_row_q8_0(tiles, row, row < out ? (const uint8_t *)w + row * row_bytes : NULL, columns);
    }
}

void gpt2_dequantize_tiled_row_q8_0(const void *tiles, int64_t row, int64_t columns, float *y) {
    const int64_t nb = columns / QK;
    const int64_t j = row % GPT2_Q8_0_TILE_ROWS;
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *block = gpt2_tile_block(tiles, row, nb, b);
        const float d = gpt2_half_to_float(gpt2_load_u16(block + 2 * j));
        for (int i = 0; i < QK; i++) y[b * QK + i] = d * (float)(int8_t)(block[32 + 64 * (i / 4) + 4 * j + i % 4] ^ 0x80);
    }
}
