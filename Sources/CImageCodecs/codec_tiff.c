/*
 * TIFF through libtiff (strips, contiguous samples), converted the way Pillow's
 * TiffImagePlugin reads the image and `convert("RGB")` turns it into RGB:
 *   - min-is-black grey of 1, 2, 4, 8 bits scaled to 0...255 (v * 255 / (2^bits - 1));
 *     min-is-white inverted first; 16-bit grey (either polarity, Pillow mode I;16) clips values
 *     above 255 to 255; grey + one extra sample (8 bits) drops the extra sample;
 *   - palette of 1, 2, 4, 8 bits: the colour map's 16-bit entries divided by 256;
 *   - RGB of 8 or 16 bits (16: the high byte), extra samples dropped; an associated
 *     (premultiplied) alpha is divided out as Pillow's "RGBa" unpacking does
 *     (0 when alpha is 0, v * 255 / alpha otherwise);
 *   - CMYK of 8 bits with Pillow's integer formula;
 *   - the first image (directory) of the file; orientation tags are not applied.
 * Tiled images, separate sample planes, YCbCr, other bit depths and photometrics are reported
 * as unsupported. libtiff's errors and warnings go to a per-call handler, never to stderr.
 */
#include <stdlib.h>

#include <tiffio.h>

#include "internal.h"

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t position;
    char message[200];
} tiff_memory;

static tmsize_t tiff_read(thandle_t handle, void *buffer, tmsize_t count) {
    tiff_memory *memory = (tiff_memory *)handle;
    if (count <= 0 || memory->position >= memory->size) {
        return 0;
    }
    size_t n = memory->size - memory->position;
    if ((uint64_t)count < n) {
        n = (size_t)count;
    }
    memcpy(buffer, memory->data + memory->position, n);
    memory->position += n;
    return (tmsize_t)n;
}

static tmsize_t tiff_write(thandle_t handle, void *buffer, tmsize_t count) {
    (void)handle;
    (void)buffer;
    (void)count;
    return -1;
}

static toff_t tiff_seek(thandle_t handle, toff_t offset, int whence) {
    tiff_memory *memory = (tiff_memory *)handle;
    uint64_t base = whence == SEEK_CUR ? memory->position : whence == SEEK_END ? memory->size : 0;
    uint64_t target = base + offset;
    if (target < base) {
        return (toff_t)-1;
    }
    memory->position = target > memory->size ? memory->size : (size_t)target;
    return target;
}

static int tiff_close(thandle_t handle) {
    (void)handle;
    return 0;
}

static toff_t tiff_size(thandle_t handle) { return ((tiff_memory *)handle)->size; }

static int tiff_map(thandle_t handle, void **base, toff_t *size) {
    (void)handle;
    (void)base;
    (void)size;
    return 0;
}

static void tiff_unmap(thandle_t handle, void *base, toff_t size) {
    (void)handle;
    (void)base;
    (void)size;
}

static int tiff_error(TIFF *tiff, void *user, const char *module, const char *format, va_list args) {
    (void)tiff;
    (void)module;
    tiff_memory *memory = (tiff_memory *)user;
    if (memory->message[0] == 0) {
        vsnprintf(memory->message, sizeof(memory->message), format, args);
    }
    return 1; /* handled: libtiff calls no global handler */
}

static int tiff_warning(TIFF *tiff, void *user, const char *module, const char *format, va_list args) {
    (void)tiff;
    (void)user;
    (void)module;
    (void)format;
    (void)args;
    return 1;
}

static inline uint8_t tiff_clip8(int v) { return v <= 0 ? 0 : v < 256 ? (uint8_t)v : 255; }

static inline int tiff_muldiv255(int a, int b) {
    int t = a * b + 128;
    return ((t >> 8) + t) >> 8;
}

/* Sample `index` of a row of `bits`-bit samples (1, 2, 4: most significant bits first). */
static inline uint32_t tiff_sample(const uint8_t *row, uint64_t index, int bits) {
    switch (bits) {
    case 8:
        return row[index];
    case 16:
        return ((const uint16_t *)row)[index];
    default: {
        uint64_t bit = index * (uint64_t)bits;
        int shift = 8 - bits - (int)(bit % 8);
        return (row[bit / 8] >> shift) & ((1u << bits) - 1);
    }
    }
}

MKT_DECODER(mkt_decode_tiff) {
    tiff_memory memory = {data, size, 0, {0}};
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    if (options == NULL) {
        mkt_set_message(info->message, sizeof(info->message), "out of memory");
        return MKT_CODEC_NO_MEMORY;
    }
    TIFFOpenOptionsSetErrorHandlerExtR(options, tiff_error, &memory);
    TIFFOpenOptionsSetWarningHandlerExtR(options, tiff_warning, &memory);
    TIFFOpenOptionsSetMaxSingleMemAlloc(options, (tmsize_t)1 << 31);
    TIFF *tiff = TIFFClientOpenExt("tiff", "rm", (thandle_t)&memory, tiff_read, tiff_write, tiff_seek,
                                   tiff_close, tiff_size, tiff_map, tiff_unmap, options);
    TIFFOpenOptionsFree(options);
    if (tiff == NULL) {
        mkt_set_message(info->message, sizeof(info->message), "corrupt TIFF: %s",
                        memory.message[0] ? memory.message : "the header cannot be read");
        return MKT_CODEC_CORRUPT;
    }
    uint32_t width = 0, height = 0;
    uint16_t bits = 1, samples = 1, photometric = 0xFFFF, planar = PLANARCONFIG_CONTIG;
    uint16_t extra_count = 0;
    uint16_t *extra = NULL;
    TIFFGetField(tiff, TIFFTAG_IMAGEWIDTH, &width);
    TIFFGetField(tiff, TIFFTAG_IMAGELENGTH, &height);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_BITSPERSAMPLE, &bits);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_SAMPLESPERPIXEL, &samples);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_PLANARCONFIG, &planar);
    TIFFGetField(tiff, TIFFTAG_PHOTOMETRIC, &photometric);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_EXTRASAMPLES, &extra_count, &extra);
    info->width = (int32_t)(width > INT32_MAX ? INT32_MAX : width);
    info->height = (int32_t)(height > INT32_MAX ? INT32_MAX : height);
    info->channels = samples;
    info->bit_depth = bits;
    info->palette = photometric == PHOTOMETRIC_PALETTE;

    int grey = photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE;
    int supported =
        (grey && ((samples == 1 && (bits == 1 || bits == 2 || bits == 4 || bits == 8 || bits == 16)) ||
                  (samples == 2 && bits == 8 && photometric == PHOTOMETRIC_MINISBLACK &&
                   extra_count == 1 && extra[0] != EXTRASAMPLE_ASSOCALPHA))) ||
        (photometric == PHOTOMETRIC_PALETTE && samples == 1 &&
         (bits == 1 || bits == 2 || bits == 4 || bits == 8)) ||
        (photometric == PHOTOMETRIC_RGB && samples >= 3 && samples <= 6 && (bits == 8 || bits == 16)) ||
        (photometric == PHOTOMETRIC_SEPARATED && samples == 4 && bits == 8);
    int32_t status = MKT_CODEC_OK;
    if (TIFFIsTiled(tiff)) {
        mkt_set_message(info->message, sizeof(info->message), "unsupported TIFF: tiled image");
        status = MKT_CODEC_UNSUPPORTED;
    } else if (samples > 1 && planar != PLANARCONFIG_CONTIG) {
        mkt_set_message(info->message, sizeof(info->message), "unsupported TIFF: separate sample planes");
        status = MKT_CODEC_UNSUPPORTED;
    } else if (!supported) {
        mkt_set_message(info->message, sizeof(info->message),
                        "unsupported TIFF: photometric %d with %d samples of %d bits", (int)photometric,
                        (int)samples, (int)bits);
        status = MKT_CODEC_UNSUPPORTED;
    } else if (width == 0 || height == 0 || width > INT32_MAX || height > INT32_MAX) {
        mkt_set_message(info->message, sizeof(info->message), "corrupt TIFF: size %ux%u",
                        (unsigned)width, (unsigned)height);
        status = MKT_CODEC_CORRUPT;
    }
    if (status == MKT_CODEC_OK) {
        status = mkt_check_size(info, width, height, max_pixels, out, out_capacity);
    }
    if (status != MKT_CODEC_OK || out == NULL) {
        TIFFClose(tiff);
        return status;
    }

    /* The colour of each grey level or palette index. */
    uint8_t colours[256][3];
    memset(colours, 0, sizeof(colours));
    if (photometric == PHOTOMETRIC_PALETTE) {
        uint16_t *red = NULL, *green = NULL, *blue = NULL;
        if (!TIFFGetField(tiff, TIFFTAG_COLORMAP, &red, &green, &blue)) {
            TIFFClose(tiff);
            mkt_set_message(info->message, sizeof(info->message), "corrupt TIFF: palette image without a colour map");
            return MKT_CODEC_CORRUPT;
        }
        for (int i = 0; i < (1 << bits); i++) {
            colours[i][0] = (uint8_t)(red[i] >> 8);
            colours[i][1] = (uint8_t)(green[i] >> 8);
            colours[i][2] = (uint8_t)(blue[i] >> 8);
        }
    } else if (grey && bits <= 8) {
        int top = (1 << bits) - 1;
        for (int i = 0; i <= top; i++) {
            int level = photometric == PHOTOMETRIC_MINISWHITE ? top - i : i;
            colours[i][0] = colours[i][1] = colours[i][2] = (uint8_t)(level * 255 / top);
        }
    }

    tmsize_t line = TIFFScanlineSize(tiff);
    uint64_t needed = ((uint64_t)width * samples * bits + 7) / 8;
    uint8_t *row = line > 0 && (uint64_t)line >= needed ? malloc((size_t)line) : NULL;
    if (row == NULL) {
        TIFFClose(tiff);
        mkt_set_message(info->message, sizeof(info->message),
                        line > 0 ? "out of memory" : "corrupt TIFF: bad scanline size");
        return line > 0 ? MKT_CODEC_NO_MEMORY : MKT_CODEC_CORRUPT;
    }
    int associated = photometric == PHOTOMETRIC_RGB && samples >= 4 && extra_count >= 1 &&
                     extra[0] == EXTRASAMPLE_ASSOCALPHA;
    for (uint32_t y = 0; y < height && status == MKT_CODEC_OK; y++) {
        if (TIFFReadScanline(tiff, row, y, 0) < 0) {
            status = MKT_CODEC_CORRUPT;
            break;
        }
        uint8_t *target = out + 3 * (uint64_t)y * width;
        for (uint64_t x = 0; x < width; x++) {
            uint8_t *pixel = target + 3 * x;
            if (photometric == PHOTOMETRIC_PALETTE || (grey && bits <= 8)) {
                memcpy(pixel, colours[tiff_sample(row, x * samples, bits)], 3);
            } else if (grey) {
                uint32_t v = tiff_sample(row, x, 16);
                pixel[0] = pixel[1] = pixel[2] = (uint8_t)(v > 255 ? 255 : v);
            } else if (photometric == PHOTOMETRIC_SEPARATED) {
                const uint8_t *cmyk = row + 4 * x;
                int nk = 255 - cmyk[3];
                for (int c = 0; c < 3; c++) {
                    pixel[c] = tiff_clip8(nk - tiff_muldiv255(cmyk[c], nk));
                }
            } else {
                int shift = bits == 16 ? 8 : 0;
                uint32_t rgb[3], alpha = 255;
                for (int c = 0; c < 3; c++) {
                    rgb[c] = tiff_sample(row, x * samples + c, bits) >> shift;
                }
                if (associated) {
                    alpha = tiff_sample(row, x * samples + 3, bits) >> shift;
                }
                for (int c = 0; c < 3; c++) {
                    pixel[c] = alpha == 255 ? (uint8_t)rgb[c]
                               : alpha == 0 ? 0
                                            : tiff_clip8((int)(rgb[c] * 255 / alpha));
                }
            }
        }
    }
    free(row);
    TIFFClose(tiff);
    if (status != MKT_CODEC_OK) {
        int truncated = memory.position >= memory.size || strstr(memory.message, "Read error") != NULL;
        mkt_set_message(info->message, sizeof(info->message), "%s TIFF: %s",
                        truncated ? "truncated" : "corrupt",
                        memory.message[0] ? memory.message : "the pixel data cannot be read");
        return truncated ? MKT_CODEC_TRUNCATED : MKT_CODEC_CORRUPT;
    }
    return MKT_CODEC_OK;
}
