// Attention over the int8 engine's cache (CGPT2Kernels.h): keys stored, quantized, in the tiles
// the matrix product reads; the dot products of a step's queries with them made by that product;
// softmax and values by each path's own kernel. Also the plain C reference.
#include "kernels_internal.h"

#include <math.h>

int64_t gpt2_key_columns(int64_t head_dim) { return (head_dim + QK - 1) / QK * QK; }

int64_t gpt2_key_bytes(int64_t positions, int64_t head_dim) {
    return gpt2_q8_0_tiled_bytes(positions, gpt2_key_columns(head_dim));
}

enum { GPT2_MAX_KEY_BLOCKS = GPT2_ATTENTION_MAX_HEAD_DIM / QK };

// x (head_dim floats) padded with zeros to gpt2_key_columns and quantized into one Q8_0 row.
static void gpt2_quantize_padded(gpt2_quantize_fn quantize, const float *x, int64_t head_dim, uint8_t *row) {
    const int64_t columns = gpt2_key_columns(head_dim);
    if (columns == head_dim) return quantize(x, row, 1, columns);
    float padded[GPT2_ATTENTION_MAX_HEAD_DIM];
    memcpy(padded, x, (size_t)head_dim * sizeof *x);
    memset(padded + head_dim, 0, (size_t)(columns - head_dim) * sizeof *x);
    quantize(padded, row, 1, columns);
}

void gpt2_store_key_q8_0(void *keys, int64_t position, const float *key, int64_t head_dim) {
    uint8_t row[GPT2_MAX_KEY_BLOCKS * QB];
    gpt2_quantize_padded(gpt2_quantize_rows_q8_0, key, head_dim, row);
    gpt2_tile_put_row_q8_0(keys, position, row, gpt2_key_columns(head_dim));
}

void gpt2_copy_key_q8_0(void *target, int64_t to, const void *source, int64_t from, int64_t head_dim) {
    uint8_t row[GPT2_MAX_KEY_BLOCKS * QB];
    const int64_t columns = gpt2_key_columns(head_dim);
    gpt2_tile_get_row_q8_0(source, from, row, columns);
    gpt2_tile_put_row_q8_0(target, to, row, columns);
}

// Asks for every cache line of [p, p + bytes) without waiting: into L1 to be written, or into
// L2 to be read.
static void gpt2_prefetch_lines(const void *p, int64_t bytes, int write) {
    if (bytes <= 0) return;
    const uintptr_t first = (uintptr_t)p & ~(uintptr_t)63, last = ((uintptr_t)p + (uintptr_t)bytes - 1) & ~(uintptr_t)63;
    for (uintptr_t line = first; line <= last; line += 64) {
        if (write) {
            __builtin_prefetch((const void *)line, 1, 3);
        } else {
            __builtin_prefetch((const void *)line, 0, 2);
        }
    }
}

void gpt2_prefetch_kv_store(const void *keys, const uint16_t *values, int64_t position, int64_t head_dim) {
    const int64_t nb = gpt2_key_columns(head_dim) / QK;
    const int64_t j = position % GPT2_Q8_0_TILE_ROWS;
    const uint8_t *tile = (const uint8_t *)keys + position / GPT2_Q8_0_TILE_ROWS * nb * GPT2_Q8_0_TILE_BLOCK_BYTES;
    for (int64_t b = 0; b < nb; b++) {
        const uint8_t *block = tile + b * GPT2_Q8_0_TILE_BLOCK_BYTES;
        gpt2_prefetch_lines(block + 2 * j, 2, 1);
        for (int k = 0; k < 8; k++) gpt2_prefetch_lines(block + 32 + 64 * k + 4 * j, 4, 1);
    }
    gpt2_prefetch_lines(values + position * head_dim, head_dim * (int64_t)sizeof *values, 1);
}

// Asks for every key and value a group of rows will read. A head's cache is a few short runs of
// memory, read one after the other, too short for the hardware's prefetcher to get going on
// each: asked for at once, they arrive together. Only for rows of different sequences (a decode
// step): consecutive rows of one sequence (a prompt) read what the group before them just read.
static void gpt2_prefetch_group(const gpt2_attention_query *group, int64_t n, const void *keys, const uint16_t *values,
                                int64_t split, int64_t head_dim) {
    for (int64_t r = 1; r < n; r++) {
        if (group[r].keys_rest == group[r - 1].keys_rest) return;
    }
    int64_t most = 0;
    for (int64_t r = 0; r < n; r++) most = group[r].positions > most ? group[r].positions : most;
    const int64_t in_shared = most < split ? most : split;
    gpt2_prefetch_lines(keys, gpt2_key_bytes(in_shared, head_dim), 0);
    gpt2_prefetch_lines(values, in_shared * head_dim * (int64_t)sizeof *values, 0);
    for (int64_t r = 0; r < n; r++) {
        const int64_t own = group[r].positions - split;
        if (own <= 0) continue;
        gpt2_prefetch_lines(group[r].keys_rest, gpt2_key_bytes(own, head_dim), 0);
        gpt2_prefetch_lines(group[r].values_rest, own * head_dim * (int64_t)sizeof *values, 0);
    }
}

// Rows per product over the shared keys: the AVX-512 values kernel's group, within the
// product's group of four.
enum { GPT2_ATTENTION_GROUP = 3 };

void gpt2_attention_rows_with(gpt2_quantize_fn quantize, gpt2_matmul_fn matmul, gpt2_softmax_values_fn softmax_values,
                              int64_t rows, const gpt2_attention_query *each, const void *keys, const uint16_t *values,
                              int64_t split, int64_t head_dim, float scale, float *scores, int64_t scores_stride) {
    const int64_t columns = gpt2_key_columns(head_dim);
    const int64_t row_bytes = columns / QK * QB;
    for (int64_t r0 = 0; r0 < rows; r0 += GPT2_ATTENTION_GROUP) {
        const int64_t n = rows - r0 < GPT2_ATTENTION_GROUP ? rows - r0 : GPT2_ATTENTION_GROUP;
        const gpt2_attention_query *group = each + r0;
        float *group_scores = scores + r0 * scores_stride;
        uint8_t queries[GPT2_ATTENTION_GROUP * GPT2_MAX_KEY_BLOCKS * QB];
        gpt2_prefetch_group(group, n, keys, values, split, head_dim);
        int64_t shared = split;
        for (int64_t r = 0; r < n; r++) {
            if (group[r].positions < shared) shared = group[r].positions;
            if (columns > 0) gpt2_quantize_padded(quantize, group[r].q, head_dim, queries + r * row_bytes);
        }
        if (columns == 0) { // no dimensions: every dot product is 0
            for (int64_t r = 0; r < n; r++) {
                if (group[r].positions > 0) memset(group_scores + r * scores_stride, 0, (size_t)group[r].positions * sizeof *scores);
            }
        } else {
            // Positions every row sees in the shared part: one product for the group.
            if (shared > 0) matmul(group_scores, scores_stride, keys, queries, NULL, n, columns, 0, shared);
            for (int64_t r = 0; r < n; r++) {
                float *row_scores = group_scores + r * scores_stride;
                const uint8_t *query = queries + r * row_bytes;
                const int64_t positions = group[r].positions;
                const int64_t in_shared = positions < split ? positions : split;
                const int64_t from = shared > 0 ? shared : 0;
                if (in_shared > from) matmul(row_scores, scores_stride, keys, query, NULL, 1, columns, from, in_shared);
                if (positions > split) {
                    matmul(row_scores + split, scores_stride, group[r].keys_rest, query, NULL, 1, columns, 0, positions - split);
                }
            }
        }
        softmax_values(n, group, values, split, head_dim, scale, group_scores, scores_stride);
    }
}

void gpt2_attention_reference(const gpt2_attention_query *row, const void *keys, const uint16_t *values, int64_t split,
                              int64_t head_dim, float scale, float *scores) {
    for (int64_t i = 0; i < head_dim; i++) row->out[i] = 0;
    if (row->positions <= 0) return;
    const int64_t columns = gpt2_key_columns(head_dim);
    const int64_t nb = columns / QK;
    uint8_t query[GPT2_MAX_KEY_BLOCKS * QB], key[GPT2_MAX_KEY_BLOCKS * QB];
    gpt2_quantize_padded(gpt2_quantize_rows_q8_0_reference, row->q, head_dim, query);
    for (int64_t t = 0; t < row->positions; t++) {
        gpt2_tile_get_row_q8_0(t < split ? keys : row->keys_rest, t < split ? t : t - split, key, columns);
        // As gpt2_matmul_q8_0_reference sums.
        float sum = 0;
        for (int64_t b = 0; b < nb; b++) {
            const uint8_t *kb = key + b * QB, *qb = query + b * QB;
            int32_t isum = 0;
            for (int i = 0; i < QK; i++) isum += (int8_t)kb[2 + i] * (int8_t)qb[2 + i];
            sum += (float)isum * (gpt2_half_to_float(gpt2_load_u16(kb)) * gpt2_half_to_float(gpt2_load_u16(qb)));
        }
        scores[t] = sum * scale;
    }
    float maximum = scores[0];
    for (int64_t t = 1; t < row->positions; t++) {
        if (scores[t] > maximum) maximum = scores[t];
    }
    float sum = 0;
    for (int64_t t = 0; t < row->positions; t++) {
        scores[t] = expf(scores[t] - maximum);
        sum += scores[t];
    }
    const float inverse = 1.0f / sum;
    for (int64_t t = 0; t < row->positions; t++) scores[t] *= inverse;
    for (int64_t t = 0; t < row->positions; t++) {
        const uint16_t *v = gpt2_attention_row(values, row->values_rest, split, head_dim, t);
        for (int64_t i = 0; i < head_dim; i++) row->out[i] += scores[t] * gpt2_half_to_float(v[i]);
    }
}
