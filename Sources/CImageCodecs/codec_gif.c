/*
 * GIF, first frame, as Pillow opens it and `convert("RGB")` turns it into RGB:
 *   - the canvas is the logical screen, grown to hold the first frame's rectangle;
 *   - pixels outside the frame hold the frame's transparent index (Graphic Control Extension)
 *     when it has one, else index 0;
 *   - the palette is the frame's local table, else the global one; indices past its end are
 *     black. A table that is the grey ramp (entry i = (i, i, i)), or no table at all, makes
 *     Pillow read the indices as grey levels, so index i is (i, i, i) there;
 *   - transparency is ignored by the conversion (a transparent pixel keeps its palette colour);
 *   - interlaced frames are de-interlaced (rows 0, 8, ...; 4, 12, ...; 2, 6, ...; 1, 3, ...).
 * The LZW data must fill the frame: data that ends early is reported as truncation.
 */
#include <stdlib.h>

#include "internal.h"

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t position;
} gif_reader;

static int gif_byte(gif_reader *reader, uint8_t *value) {
    if (reader->position >= reader->size) {
        return 0;
    }
    *value = reader->data[reader->position++];
    return 1;
}

static int gif_skip(gif_reader *reader, size_t count) {
    if (reader->size - reader->position < count) {
        return 0;
    }
    reader->position += count;
    return 1;
}

/* Skips data sub-blocks up to and including the zero-length terminator. */
static int gif_skip_blocks(gif_reader *reader) {
    uint8_t length;
    do {
        if (!gif_byte(reader, &length) || !gif_skip(reader, length)) {
            return 0;
        }
    } while (length != 0);
    return 1;
}

/* The LZW code stream, read bit by bit across data sub-blocks (least significant bit first). */
typedef struct {
    gif_reader *reader;
    size_t block_left;
    int ended;
    uint32_t bits;
    int bit_count;
} gif_bits;

/* The next `width`-bit code, or -1 when the sub-blocks end first. */
static int gif_code(gif_bits *stream, int width) {
    while (stream->bit_count < width) {
        if (stream->ended) {
            return -1;
        }
        while (stream->block_left == 0) {
            uint8_t length;
            if (!gif_byte(stream->reader, &length) || length == 0) {
                stream->ended = 1;
                return -1;
            }
            stream->block_left = length;
        }
        uint8_t byte;
        if (!gif_byte(stream->reader, &byte)) {
            stream->ended = 1;
            return -1;
        }
        stream->block_left--;
        stream->bits |= (uint32_t)byte << stream->bit_count;
        stream->bit_count += 8;
    }
    int code = (int)(stream->bits & ((1u << width) - 1));
    stream->bits >>= width;
    stream->bit_count -= width;
    return code;
}

/* Reads the colour table that `flags` announces (bit 7; size in bits 0-2) into `table`: the
   number of entries, 0 without a table, -1 when the data ends first. */
static int gif_table(gif_reader *reader, uint8_t flags, uint8_t table[768]) {
    if (!(flags & 0x80)) {
        return 0;
    }
    int entries = 1 << ((flags & 7) + 1);
    if (reader->size - reader->position < (size_t)entries * 3) {
        return -1;
    }
    memcpy(table, reader->data + reader->position, (size_t)entries * 3);
    reader->position += (size_t)entries * 3;
    return entries;
}

static const char *gif_truncated = "truncated GIF: the file ends before the first frame is complete";

MKT_DECODER(mkt_decode_gif) {
    gif_reader reader = {data, size, 0};
    if (size < 13) {
        mkt_set_message(info->message, sizeof(info->message), "%s", gif_truncated);
        return MKT_CODEC_TRUNCATED;
    }
    uint32_t screen_width = data[6] | ((uint32_t)data[7] << 8);
    uint32_t screen_height = data[8] | ((uint32_t)data[9] << 8);
    uint8_t flags = data[10];
    reader.position = 13;
    uint8_t global[768];
    int global_entries = gif_table(&reader, flags, global);
    if (global_entries < 0) {
        mkt_set_message(info->message, sizeof(info->message), "%s", gif_truncated);
        return MKT_CODEC_TRUNCATED;
    }

    /* Extensions up to the first image descriptor. */
    int transparency = -1;
    for (;;) {
        uint8_t introducer;
        if (!gif_byte(&reader, &introducer)) {
            mkt_set_message(info->message, sizeof(info->message), "%s", gif_truncated);
            return MKT_CODEC_TRUNCATED;
        }
        if (introducer == 0x2C) {
            break;
        }
        if (introducer == 0x3B) {
            mkt_set_message(info->message, sizeof(info->message), "corrupt GIF: no image in the file");
            return MKT_CODEC_CORRUPT;
        }
        if (introducer != 0x21) {
            mkt_set_message(info->message, sizeof(info->message),
                            "corrupt GIF: unexpected block 0x%02x before the first image", introducer);
            return MKT_CODEC_CORRUPT;
        }
        uint8_t label, length;
        if (!gif_byte(&reader, &label)) {
            mkt_set_message(info->message, sizeof(info->message), "%s", gif_truncated);
            return MKT_CODEC_TRUNCATED;
        }
        if (label == 0xF9) {
            /* Graphic Control Extension: one block of 4 bytes, then the terminator. */
            size_t start = reader.position;
            if (!gif_byte(&reader, &length) || length < 4 || size - reader.position < 4) {
                mkt_set_message(info->message, sizeof(info->message), "%s", gif_truncated);
                return MKT_CODEC_TRUNCATED;
            }
            transparency = (data[reader.position] & 1) ? data[reader.position + 3] : -1;
            reader.position = start;
        }
        if (!gif_skip_blocks(&reader)) {
            mkt_set_message(info->message, sizeof(info->message), "%s", gif_truncated);
            return MKT_CODEC_TRUNCATED;
        }
    }
    if (size - reader.position < 9) {
        mkt_set_message(info->message, sizeof(info->message), "%s", gif_truncated);
        return MKT_CODEC_TRUNCATED;
    }
    const uint8_t *descriptor = data + reader.position;
    reader.position += 9;
    uint32_t left = descriptor[0] | ((uint32_t)descriptor[1] << 8);
    uint32_t top = descriptor[2] | ((uint32_t)descriptor[3] << 8);
    uint32_t frame_width = descriptor[4] | ((uint32_t)descriptor[5] << 8);
    uint32_t frame_height = descriptor[6] | ((uint32_t)descriptor[7] << 8);
    uint8_t frame_flags = descriptor[8];
    int interlaced = (frame_flags & 0x40) != 0;
    uint8_t local[768];
    int local_entries = gif_table(&reader, frame_flags, local);
    if (local_entries < 0) {
        mkt_set_message(info->message, sizeof(info->message), "%s", gif_truncated);
        return MKT_CODEC_TRUNCATED;
    }
    uint32_t width = left + frame_width > screen_width ? left + frame_width : screen_width;
    uint32_t height = top + frame_height > screen_height ? top + frame_height : screen_height;
    info->width = (int32_t)width;
    info->height = (int32_t)height;
    info->channels = 1;
    info->bit_depth = 8;
    info->palette = (local_entries || global_entries) ? 1 : 0;
    info->interlaced = interlaced;
    uint64_t pixels = (uint64_t)width * (uint64_t)height;
    int32_t checked = mkt_check_size(info, width, height, max_pixels, out, out_capacity);
    if (checked != MKT_CODEC_OK || out == NULL) {
        return checked;
    }

    /* The colour of each index, as Pillow's P (or L) to RGB conversion gives it. */
    const uint8_t *table = local_entries ? local : global;
    int entries = local_entries ? local_entries : global_entries;
    int grey = 1;
    for (int i = 0; i < entries && grey; i++) {
        grey = table[3 * i] == i && table[3 * i + 1] == i && table[3 * i + 2] == i;
    }
    uint8_t colours[256][3];
    for (int i = 0; i < 256; i++) {
        for (int c = 0; c < 3; c++) {
            colours[i][c] = grey ? (uint8_t)i : i < entries ? table[3 * i + c] : 0;
        }
    }
    const uint8_t *fill = colours[transparency >= 0 ? transparency : 0];
    for (uint64_t i = 0; i < pixels; i++) {
        memcpy(out + 3 * i, fill, 3);
    }

    uint8_t minimum;
    if (!gif_byte(&reader, &minimum)) {
        mkt_set_message(info->message, sizeof(info->message), "%s", gif_truncated);
        return MKT_CODEC_TRUNCATED;
    }
    if (minimum < 1 || minimum > 11) {
        mkt_set_message(info->message, sizeof(info->message),
                        "corrupt GIF: LZW code size %d", (int)minimum);
        return MKT_CODEC_CORRUPT;
    }
    /* LZW: prefix/suffix tables, strings emitted through a stack. */
    uint16_t *prefix = malloc(4096 * sizeof(uint16_t));
    uint8_t *suffix = malloc(4096);
    uint8_t *stack = malloc(4097);
    if (prefix == NULL || suffix == NULL || stack == NULL) {
        free(prefix);
        free(suffix);
        free(stack);
        mkt_set_message(info->message, sizeof(info->message), "out of memory");
        return MKT_CODEC_NO_MEMORY;
    }
    int clear = 1 << minimum;
    int end = clear + 1;
    int width_bits = minimum + 1;
    int next = clear + 2;
    int previous = -1;
    uint8_t first = 0;
    for (int i = 0; i < clear; i++) {
        prefix[i] = 0;
        suffix[i] = (uint8_t)i;
    }
    gif_bits stream = {&reader, 0, 0, 0, 0};
    uint64_t frame_pixels = (uint64_t)frame_width * frame_height;
    uint64_t written = 0;
    /* Interlace passes: start row and step. */
    static const uint32_t pass_start[4] = {0, 4, 2, 1};
    static const uint32_t pass_step[4] = {8, 8, 4, 2};
    int pass = 0;
    uint32_t row = 0, column = 0;
    int32_t status = MKT_CODEC_OK;
    while (written < frame_pixels) {
        int code = gif_code(&stream, width_bits);
        if (code < 0 || code == end) {
            status = MKT_CODEC_TRUNCATED;
            break;
        }
        if (code == clear) {
            width_bits = minimum + 1;
            next = clear + 2;
            previous = -1;
            continue;
        }
        int depth = 0;
        int current = code;
        if (previous < 0) {
            if (code >= clear) {
                status = MKT_CODEC_CORRUPT;
                break;
            }
        } else if (code > next || (code == next && next >= 4096)) {
            status = MKT_CODEC_CORRUPT;
            break;
        } else if (code == next) {
            stack[depth++] = first;
            current = previous;
        }
        while (current >= clear) {
            stack[depth++] = suffix[current];
            current = prefix[current];
        }
        stack[depth++] = suffix[current];
        first = suffix[current];
        if (previous >= 0 && next < 4096) {
            prefix[next] = (uint16_t)previous;
            suffix[next] = first;
            next++;
            if (next == (1 << width_bits) && width_bits < 12) {
                width_bits++;
            }
        }
        previous = code;
        while (depth > 0 && written < frame_pixels) {
            uint8_t index = stack[--depth];
            uint64_t x = (uint64_t)left + column, y = (uint64_t)top + row;
            memcpy(out + 3 * (y * width + x), colours[index], 3);
            written++;
            if (++column == frame_width) {
                column = 0;
                if (interlaced) {
                    row += pass_step[pass];
                    while (row >= frame_height && pass < 3) {
                        pass++;
                        row = pass_start[pass];
                    }
                } else {
                    row++;
                }
            }
        }
    }
    free(prefix);
    free(suffix);
    free(stack);
    if (status == MKT_CODEC_TRUNCATED) {
        mkt_set_message(info->message, sizeof(info->message), "%s", gif_truncated);
    } else if (status == MKT_CODEC_CORRUPT) {
        mkt_set_message(info->message, sizeof(info->message), "corrupt GIF: bad LZW code");
    }
    return status;
}
