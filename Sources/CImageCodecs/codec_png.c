/*
 * PNG through libpng, with libpng's longjmp caught.
 *
 * libpng is asked only to unpack sub-byte samples (png_set_packing, one byte per sample, values
 * not scaled) and to de-interlace; every conversion to RGB is done here, following Pillow's
 * PNG modes and `convert("RGB")`:
 *   grey 1/2/4-bit  -> scaled to 0..255 (v * 255, v * 85, v * 17), replicated
 *   grey 8-bit      -> replicated
 *   grey 16-bit     -> Pillow mode I;16: values above 255 clip to 255 (I;16 -> L), replicated
 *   grey+alpha      -> grey (8-bit, or the high byte of 16-bit), alpha dropped
 *   RGB / RGBA      -> RGB (16-bit: the high byte), alpha dropped
 *   palette         -> expanded through PLTE; indices past the palette give black; tRNS ignored
 */
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>

#include "internal.h"

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t position;
    int truncated;
    char message[200];
    jmp_buf jump;
} png_reader;

static void png_read_from_memory(png_structp png, png_bytep target, png_size_t length) {
    png_reader *reader = (png_reader *)png_get_io_ptr(png);
    if (length > reader->size - reader->position) {
        reader->truncated = 1;
        png_error(png, "the file ends before the image data is complete");
    }
    memcpy(target, reader->data + reader->position, length);
    reader->position += length;
}

static void png_error_handler(png_structp png, png_const_charp message) {
    png_reader *reader = (png_reader *)png_get_error_ptr(png);
    mkt_set_message(reader->message, sizeof(reader->message), "%s", message);
    longjmp(reader->jump, 1);
}

static void png_warning_handler(png_structp png, png_const_charp message) {
    (void)png;
    (void)message; /* Warnings (bad ancillary chunks, ...) do not stop Pillow either. */
}

/* Converts one unpacked row (one byte per sub-byte sample, big-endian 16-bit) to RGB8. */
static void png_row_to_rgb(const uint8_t *in, uint8_t *out, uint32_t width, int color_type,
                           int bit_depth, const uint8_t *palette_rgb) {
    uint32_t x;
    switch (color_type) {
    case PNG_COLOR_TYPE_GRAY:
        if (bit_depth == 16) {
            for (x = 0; x < width; x++) {
                uint8_t v = in[2 * x] != 0 ? 255 : in[2 * x + 1];
                out[3 * x] = out[3 * x + 1] = out[3 * x + 2] = v;
            }
        } else {
            unsigned scale = bit_depth == 1 ? 255 : bit_depth == 2 ? 85 : bit_depth == 4 ? 17 : 1;
            for (x = 0; x < width; x++) {
                uint8_t v = (uint8_t)(in[x] * scale);
                out[3 * x] = out[3 * x + 1] = out[3 * x + 2] = v;
            }
        }
        break;
    case PNG_COLOR_TYPE_GRAY_ALPHA: {
        unsigned step = bit_depth == 16 ? 4 : 2;
        for (x = 0; x < width; x++) {
            uint8_t v = in[step * x];
            out[3 * x] = out[3 * x + 1] = out[3 * x + 2] = v;
        }
        break;
    }
    case PNG_COLOR_TYPE_RGB:
        if (bit_depth == 16) {
            for (x = 0; x < width; x++) {
                out[3 * x] = in[6 * x];
                out[3 * x + 1] = in[6 * x + 2];
                out[3 * x + 2] = in[6 * x + 4];
            }
        } else {
            memcpy(out, in, (size_t)width * 3);
        }
        break;
    case PNG_COLOR_TYPE_RGB_ALPHA: {
        unsigned step = bit_depth == 16 ? 8 : 4;
        unsigned sample = bit_depth == 16 ? 2 : 1;
        for (x = 0; x < width; x++) {
            out[3 * x] = in[step * x];
            out[3 * x + 1] = in[step * x + sample];
            out[3 * x + 2] = in[step * x + 2 * sample];
        }
        break;
    }
    case PNG_COLOR_TYPE_PALETTE:
        for (x = 0; x < width; x++) {
            const uint8_t *entry = palette_rgb + 3 * (size_t)in[x];
            out[3 * x] = entry[0];
            out[3 * x + 1] = entry[1];
            out[3 * x + 2] = entry[2];
        }
        break;
    default:
        break;
    }
}

typedef struct {
    png_structp png;
    png_infop info;
    uint8_t *raw;        /* the whole unpacked image (interlaced files) */
    png_bytep *rows;     /* row pointers into raw */
    uint8_t *row;        /* one unpacked row (non-interlaced files) */
} png_resources;

static void png_release(png_resources *r) {
    if (r->png != NULL) {
        png_destroy_read_struct(&r->png, r->info != NULL ? &r->info : NULL, NULL);
    }
    free(r->raw);
    free(r->rows);
    free(r->row);
}

int32_t mkt_decode_png(const uint8_t *data, size_t size, uint64_t max_pixels,
                       mkt_image_info *info, uint8_t *out, size_t out_capacity) {
    png_reader reader;
    memset(&reader, 0, sizeof(reader));
    reader.data = data;
    reader.size = size;

    /* Everything that must be released after a longjmp lives in this volatile-free struct
       reached through a pointer, so its fields are read from memory after the jump. */
    png_resources resources;
    memset(&resources, 0, sizeof(resources));
    png_resources *volatile r = &resources;

    r->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &reader, png_error_handler,
                                    png_warning_handler);
    if (r->png == NULL) {
        mkt_set_message(info->message, sizeof(info->message), "cannot create a PNG decoder");
        return MKT_CODEC_NO_MEMORY;
    }
    r->info = png_create_info_struct(r->png);
    if (r->info == NULL) {
        png_release(r);
        mkt_set_message(info->message, sizeof(info->message), "cannot create a PNG decoder");
        return MKT_CODEC_NO_MEMORY;
    }
    if (setjmp(reader.jump)) {
        int32_t status = reader.truncated ? MKT_CODEC_TRUNCATED : MKT_CODEC_CORRUPT;
        if (reader.truncated) {
            mkt_set_message(info->message, sizeof(info->message),
                            "truncated PNG: the file ends before the image data is complete");
        } else {
            mkt_set_message(info->message, sizeof(info->message), "corrupt PNG: %s",
                            reader.message);
        }
        png_release(r);
        return status;
    }
    png_set_read_fn(r->png, &reader, png_read_from_memory);
    png_read_info(r->png, r->info);

    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0, interlace = 0;
    png_get_IHDR(r->png, r->info, &width, &height, &bit_depth, &color_type, &interlace, NULL,
                 NULL);
    info->width = (int32_t)width;
    info->height = (int32_t)height;
    info->bit_depth = bit_depth;
    info->palette = color_type == PNG_COLOR_TYPE_PALETTE;
    info->interlaced = interlace != PNG_INTERLACE_NONE;
    info->channels = png_get_channels(r->png, r->info);

    if (max_pixels != 0 && (uint64_t)width * (uint64_t)height > max_pixels) {
        mkt_set_message(info->message, sizeof(info->message),
                        "image of %ux%u = %llu pixels exceeds the limit of %llu pixels "
                        "(possible decompression bomb)",
                        (unsigned)width, (unsigned)height,
                        (unsigned long long)width * height, (unsigned long long)max_pixels);
        png_release(r);
        return MKT_CODEC_TOO_LARGE;
    }
    if (out == NULL) {
        png_release(r);
        return MKT_CODEC_OK;
    }
    if (out_capacity / 3 / width < height) {
        png_release(r);
        mkt_set_message(info->message, sizeof(info->message), "output buffer too small");
        return MKT_CODEC_BUFFER_TOO_SMALL;
    }

    /* 256 palette entries, black past the end of PLTE (as libpng and Pillow pad). */
    uint8_t palette_rgb[256 * 3];
    memset(palette_rgb, 0, sizeof(palette_rgb));
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_colorp palette = NULL;
        int count = 0;
        if (png_get_PLTE(r->png, r->info, &palette, &count) != 0 && palette != NULL) {
            for (int i = 0; i < count && i < 256; i++) {
                palette_rgb[3 * i] = palette[i].red;
                palette_rgb[3 * i + 1] = palette[i].green;
                palette_rgb[3 * i + 2] = palette[i].blue;
            }
        }
    }

    if (bit_depth < 8) {
        png_set_packing(r->png);
    }
    int passes = png_set_interlace_handling(r->png);
    png_read_update_info(r->png, r->info);
    size_t rowbytes = png_get_rowbytes(r->png, r->info);
    size_t out_stride = (size_t)width * 3;

    if (passes > 1) {
        if (rowbytes != 0 && height > SIZE_MAX / rowbytes) {
            png_error(r->png, "image too large for memory");
        }
        r->raw = malloc(rowbytes * height);
        r->rows = malloc(sizeof(png_bytep) * height);
        if (r->raw == NULL || r->rows == NULL) {
            png_release(r);
            mkt_set_message(info->message, sizeof(info->message), "out of memory");
            return MKT_CODEC_NO_MEMORY;
        }
        for (png_uint_32 y = 0; y < height; y++) {
            r->rows[y] = r->raw + rowbytes * y;
        }
        png_read_image(r->png, r->rows);
        for (png_uint_32 y = 0; y < height; y++) {
            png_row_to_rgb(r->rows[y], out + out_stride * y, width, color_type, bit_depth,
                           palette_rgb);
        }
    } else if (color_type == PNG_COLOR_TYPE_RGB && bit_depth == 8) {
        for (png_uint_32 y = 0; y < height; y++) {
            png_read_row(r->png, out + out_stride * y, NULL);
        }
    } else {
        r->row = malloc(rowbytes);
        if (r->row == NULL) {
            png_release(r);
            mkt_set_message(info->message, sizeof(info->message), "out of memory");
            return MKT_CODEC_NO_MEMORY;
        }
        for (png_uint_32 y = 0; y < height; y++) {
            png_read_row(r->png, r->row, NULL);
            png_row_to_rgb(r->row, out + out_stride * y, width, color_type, bit_depth,
                           palette_rgb);
        }
    }
    /* The chunks after the image data (and IEND) are not read: like Pillow, a file whose
       pixels are complete decodes even when its tail is missing. */
    png_release(r);
    return MKT_CODEC_OK;
}

/* ---- encoding ---------------------------------------------------------------------------- */

typedef struct {
    uint8_t *data;
    size_t size;
    size_t capacity;
    int failed;
    char message[200];
    jmp_buf jump;
} png_writer;

static void png_write_to_memory(png_structp png, png_bytep source, png_size_t length) {
    png_writer *writer = (png_writer *)png_get_io_ptr(png);
    if (length > writer->capacity - writer->size) {
        size_t capacity = writer->capacity < 4096 ? 4096 : writer->capacity;
        while (capacity - writer->size < length) {
            capacity *= 2;
        }
        uint8_t *grown = realloc(writer->data, capacity);
        if (grown == NULL) {
            writer->failed = 1;
            png_error(png, "out of memory");
        }
        writer->data = grown;
        writer->capacity = capacity;
    }
    memcpy(writer->data + writer->size, source, length);
    writer->size += length;
}

static void png_flush_memory(png_structp png) { (void)png; }

static void png_write_error_handler(png_structp png, png_const_charp message) {
    png_writer *writer = (png_writer *)png_get_error_ptr(png);
    mkt_set_message(writer->message, sizeof(writer->message), "%s", message);
    longjmp(writer->jump, 1);
}

int32_t mkt_encode_png(const uint8_t *rgb, int32_t width, int32_t height, int32_t level,
                       uint8_t **out, size_t *out_size, char *message, size_t message_size) {
    *out = NULL;
    *out_size = 0;
    if (rgb == NULL || width <= 0 || height <= 0) {
        mkt_set_message(message, message_size, "cannot encode an image of %dx%d pixels", width,
                        height);
        return MKT_CODEC_INVALID_ARGUMENT;
    }
    png_writer writer;
    memset(&writer, 0, sizeof(writer));
    png_writer *volatile w = &writer;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &writer,
                                              png_write_error_handler, png_warning_handler);
    png_infop pinfo = png != NULL ? png_create_info_struct(png) : NULL;
    png_structp *volatile png_slot = &png;
    png_infop *volatile info_slot = &pinfo;
    if (png == NULL || pinfo == NULL) {
        png_destroy_write_struct(&png, &pinfo);
        mkt_set_message(message, message_size, "cannot create a PNG encoder");
        return MKT_CODEC_NO_MEMORY;
    }
    if (setjmp(writer.jump)) {
        png_destroy_write_struct(png_slot, info_slot);
        free(w->data);
        mkt_set_message(message, message_size, "PNG encoding failed: %s", w->message);
        return w->failed ? MKT_CODEC_NO_MEMORY : MKT_CODEC_CORRUPT;
    }
    png_set_write_fn(png, &writer, png_write_to_memory, png_flush_memory);
    if (level >= 0 && level <= 9) {
        png_set_compression_level(png, level);
    }
    png_set_IHDR(png, pinfo, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, pinfo);
    for (int32_t y = 0; y < height; y++) {
        png_write_row(png, (png_const_bytep)(rgb + (size_t)y * (size_t)width * 3));
    }
    png_write_end(png, pinfo);
    png_destroy_write_struct(&png, &pinfo);
    *out = writer.data;
    *out_size = writer.size;
    return MKT_CODEC_OK;
}
