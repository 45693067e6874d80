// The tiled layout of Q8_0 weights (CGPT2Kernels.h): rearranging rows into tiles, and reading a
// row back. One path only: both run once per matrix or once per token, not per product.
#include "kernels_internal.h"

int64_t gpt2_q8_0_tiled_bytes(int64_t out, int64_t columns) {
    const int64_t tiles = (out + GPT2_Q8_0_TILE_ROWS - 1) / GPT2_Q8_0_TILE_ROWS;
    return tiles * (columns / QK) * GPT2_Q8_0_TILE_BLOCK_BYTES;
}

void gpt2_tile_q8_0(void *tiles, const void *w, int64_t out, int64_t columns, int64_t row_begin, int64_t row_end) {
    const int64_t nb = columns / QK;
    const int64_t row_bytes = nb * QB;
    uint8_t *dst = tiles;
    const uint8_t *src = w;
    for (int64_t t = row_begin / GPT2_Q8_0_TILE_ROWS; t * GPT2_Q8_0_TILE_ROWS < row_end; t++) {
        uint8_t *tile = dst + t * nb * GPT2_Q8_0_TILE_BLOCK_BYTES;
        for (int j = 0; j < GPT2_Q8_0_TILE_ROWS; j++) {
            const int64_t row = t * GPT2_Q8_0_TILE_ROWS + j;
            for (int64_t b = 0; b < nb; b++) {
                uint8_t *block = tile + b * GPT2_Q8_0_TILE_BLOCK_BYTES;
                if (row >= out) { // scale 0, values 0
                    memset(block + 2 * j, 0, 2);
                    for (int k = 0; k < 8; k++) memset(block + 32 + 64 * k + 4 * j, 0x80, 4);
                    continue;
                }
                const uint8_t *in = src + row * row_bytes + b * QB;
                memcpy(block + 2 * j, in, 2);
                for (int k = 0; k < 8; k++) {
                    for (int i = 0; i < 4; i++) block[32 + 64 * k + 4 * j + i] = in[2 + 4 * k + i] ^ 0x80;
                }
            }
        }
    }
}

void gpt2_dequantize_tiled_row_q8_0(const void *tiles, int64_t row, int64_t columns, float *y) {
    const int64_t nb = columns / QK;
    const int64_t j = row % GPT2_Q8_0_TILE_ROWS;
    const uint8_t *tile = (const uint8_t *)tiles + row / GPT2_Q8_0_TILE_ROWS * nb * GPT2_Q8_0_TILE_BLOCK_BYTES;
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *block = tile + b * GPT2_Q8_0_TILE_BLOCK_BYTES;
        const float d = gpt2_half_to_float(gpt2_load_u16(block + 2 * j));
        for (int i = 0; i < QK; i++) y[b * QK + i] = d * (float)(int8_t)(block[32 + 64 * (i / 4) + 4 * j + i % 4] ^ 0x80);
    }
}
