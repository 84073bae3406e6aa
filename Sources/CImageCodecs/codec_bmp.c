/*
 * BMP (Windows bitmap; core, info and v2-v5 headers), as Pillow's BmpImagePlugin reads it and
 * `convert("RGB")` turns it into RGB:
 *   - 1, 4 and 8 bits: palette of `colors` entries (BGR or BGRX); indices past its end are black.
 *     A palette that is black/white (2 colours) or the grey ramp makes Pillow read the indices as
 *     grey ("1": non-zero is white; "L": index i is (i, i, i));
 *   - 16 bits: 5-5-5 (the default) or, with BI_BITFIELDS, 5-6-5; channels scaled as v * 255 / max;
 *   - 24 bits: BGR; 32 bits: BGRX, or with BI_BITFIELDS one of Pillow's byte-aligned masks
 *     (alpha dropped);
 *   - RLE8 and RLE4 with Pillow's rules (delta, end of line, absolute runs); a stream that stops
 *     before the last pixel is an error, as in Pillow ("not enough image data");
 *   - rows bottom-up unless the height is negative; rows padded to 4 bytes.
 */
#include <stdlib.h>

#include "internal.h"

static uint32_t bmp_u16(const uint8_t *p) { return p[0] | ((uint32_t)p[1] << 8); }
static uint32_t bmp_u32(const uint8_t *p) {
    return p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static int bmp_shift(uint32_t mask) {
    int shift = 0;
    while (shift < 32 && !(mask & (1u << shift))) {
        shift++;
    }
    return shift;
}

/* RLE8/RLE4 into one index byte per pixel, in file row order; Pillow's BmpRleDecoder. */
static int32_t bmp_rle(const uint8_t *data, size_t size, size_t offset, uint32_t width,
                       uint32_t height, int rle4, uint8_t *indices, mkt_image_info *info) {
    uint64_t total = (uint64_t)width * height, done = 0;
    uint32_t x = 0;
    size_t at = offset;
    while (done < total) {
        if (size - at < 2) {
            break;
        }
        uint32_t count = data[at], byte = data[at + 1];
        at += 2;
        if (count) {
            if (x + count > width) {
                count = x < width ? width - x : 0;
            }
            for (uint32_t i = 0; i < count && done < total; i++) {
                indices[done++] = rle4 ? (uint8_t)(i % 2 == 0 ? byte >> 4 : byte & 0x0F) : (uint8_t)byte;
            }
            x += count;
        } else if (byte == 0) {
            while (done % width != 0) {
                indices[done++] = 0;
            }
            x = 0;
        } else if (byte == 1) {
            break;
        } else if (byte == 2) {
            if (size - at < 2) {
                break;
            }
            uint64_t skip = (uint64_t)data[at] + (uint64_t)data[at + 1] * width;
            at += 2;
            if (skip > total - done) {
                skip = total - done;
            }
            memset(indices + done, 0, (size_t)skip);
            done += skip;
            x = (uint32_t)(done % width);
        } else {
            uint64_t wanted = byte < total - done ? byte : total - done;
            size_t bytes = rle4 ? (size_t)((wanted + 1) / 2) : (size_t)wanted;
            size_t available = size - at < bytes ? size - at : bytes;
            for (size_t i = 0; i < available; i++) {
                if (rle4) {
                    indices[done++] = data[at + i] >> 4;
                    if (i * 2 + 1 < wanted) {
                        indices[done++] = data[at + i] & 0x0F;
                    }
                } else {
                    indices[done++] = data[at + i];
                }
            }
            at += available;
            if (available < bytes || done == total) {
                break;
            }
            x += byte;
            if (at % 2 != 0) {
                at++;
            }
        }
    }
    if (done < total) {
        mkt_set_message(info->message, sizeof(info->message),
                        "truncated BMP: the RLE data ends after %llu of %llu pixels",
                        (unsigned long long)done, (unsigned long long)total);
        return MKT_CODEC_TRUNCATED;
    }
    return MKT_CODEC_OK;
}

MKT_DECODER(mkt_decode_bmp) {
    if (size < 14 + 12) {
        mkt_set_message(info->message, sizeof(info->message), "truncated BMP: the header is incomplete");
        return MKT_CODEC_TRUNCATED;
    }
    uint32_t offset = bmp_u32(data + 10);
    uint32_t header = bmp_u32(data + 14);
    if (header != 12 && header != 40 && header != 52 && header != 56 && header != 64 &&
        header != 108 && header != 124) {
        mkt_set_message(info->message, sizeof(info->message),
                        "unsupported BMP: header of %u bytes", (unsigned)header);
        return MKT_CODEC_UNSUPPORTED;
    }
    if (size < 14 + (size_t)header) {
        mkt_set_message(info->message, sizeof(info->message), "truncated BMP: the header is incomplete");
        return MKT_CODEC_TRUNCATED;
    }
    const uint8_t *h = data + 18; /* after the header size */
    uint32_t width, height, bits, compression = 0, colors = 0;
    int top_down = 0, padding = 3;
    uint32_t masks[4] = {0, 0, 0, 0};
    size_t after_header = 14 + header;
    if (header == 12) {
        width = bmp_u16(h);
        height = bmp_u16(h + 2);
        bits = bmp_u16(h + 6);
    } else {
        padding = 4;
        width = bmp_u32(h);
        top_down = h[7] == 0xFF;
        height = top_down ? (uint32_t)(0u - bmp_u32(h + 4)) : bmp_u32(h + 4);
        bits = bmp_u16(h + 10);
        compression = bmp_u32(h + 12);
        colors = bmp_u32(h + 28);
        if (compression == 3) {
            if (header >= 52) {
                for (int i = 0; i < 3; i++) masks[i] = bmp_u32(h + 36 + 4 * i);
                if (header >= 56) masks[3] = bmp_u32(h + 48);
            } else {
                if (size - after_header < 12) {
                    mkt_set_message(info->message, sizeof(info->message),
                                    "truncated BMP: the colour masks are missing");
                    return MKT_CODEC_TRUNCATED;
                }
                for (int i = 0; i < 3; i++) masks[i] = bmp_u32(data + after_header + 4 * i);
                after_header += 12;
            }
        }
    }
    if (bits != 1 && bits != 4 && bits != 8 && bits != 16 && bits != 24 && bits != 32) {
        mkt_set_message(info->message, sizeof(info->message), "unsupported BMP: %u bits per pixel",
                        (unsigned)bits);
        return MKT_CODEC_UNSUPPORTED;
    }
    if (colors == 0) {
        colors = bits <= 16 ? 1u << bits : 0;
    }
    int rle = compression == 1 || compression == 2;
    if (compression == 3) {
        int ok = 0;
        if (bits == 32) {
            static const uint32_t known[8][4] = {
                {0xFF0000, 0xFF00, 0xFF, 0}, {0xFF000000, 0xFF0000, 0xFF00, 0},
                {0xFF000000, 0xFF00, 0xFF, 0}, {0xFF000000, 0xFF0000, 0xFF00, 0xFF},
                {0xFF, 0xFF00, 0xFF0000, 0xFF000000}, {0xFF0000, 0xFF00, 0xFF, 0xFF000000},
                {0xFF000000, 0xFF00, 0xFF, 0xFF0000}, {0, 0, 0, 0}};
            for (int i = 0; i < 8; i++) {
                ok |= memcmp(known[i], masks, sizeof(masks)) == 0;
            }
            if (masks[0] == 0 && masks[1] == 0 && masks[2] == 0) {
                masks[0] = 0xFF0000; /* all-zero masks: BGRA */
                masks[1] = 0xFF00;
                masks[2] = 0xFF;
            }
        } else if (bits == 24) {
            ok = masks[0] == 0xFF0000 && masks[1] == 0xFF00 && masks[2] == 0xFF;
        } else if (bits == 16) {
            ok = (masks[0] == 0xF800 && masks[1] == 0x7E0 && masks[2] == 0x1F) ||
                 (masks[0] == 0x7C00 && masks[1] == 0x3E0 && masks[2] == 0x1F);
        }
        if (!ok) {
            mkt_set_message(info->message, sizeof(info->message), "unsupported BMP bitfields layout");
            return MKT_CODEC_UNSUPPORTED;
        }
    } else if (bits == 16) {
        masks[0] = 0x7C00;
        masks[1] = 0x3E0;
        masks[2] = 0x1F;
    } else if (bits == 32) {
        masks[0] = 0xFF0000;
        masks[1] = 0xFF00;
        masks[2] = 0xFF;
    } else if (compression != 0 && !rle) {
        mkt_set_message(info->message, sizeof(info->message), "unsupported BMP compression %u",
                        (unsigned)compression);
        return MKT_CODEC_UNSUPPORTED;
    }
    if (compression > 3 || (rle && bits != (compression == 1 ? 8u : 4u))) {
        mkt_set_message(info->message, sizeof(info->message), "unsupported BMP compression %u",
                        (unsigned)compression);
        return MKT_CODEC_UNSUPPORTED;
    }
    info->width = (int32_t)(width > INT32_MAX ? INT32_MAX : width);
    info->height = (int32_t)(height > INT32_MAX ? INT32_MAX : height);
    info->channels = bits <= 8 ? 1 : bits == 32 ? 4 : 3;
    info->bit_depth = bits <= 8 ? (int32_t)bits : 8;
    info->palette = bits <= 8;
    if (width == 0 || height == 0 || width > INT32_MAX || height > INT32_MAX) {
        mkt_set_message(info->message, sizeof(info->message), "corrupt BMP: size %ux%u",
                        (unsigned)width, (unsigned)height);
        return MKT_CODEC_CORRUPT;
    }
    uint64_t pixels = (uint64_t)width * (uint64_t)height;
    int32_t checked = mkt_check_size(info, width, height, max_pixels, out, out_capacity);
    if (checked != MKT_CODEC_OK) {
        return checked;
    }

    /* The palette, as Pillow's P, "1" or "L" to RGB conversion gives each index. */
    uint8_t colours[256][3];
    memset(colours, 0, sizeof(colours));
    if (bits <= 8) {
        if (colors == 0 || colors > 65536) {
            mkt_set_message(info->message, sizeof(info->message),
                            "unsupported BMP palette size %u", (unsigned)colors);
            return MKT_CODEC_UNSUPPORTED;
        }
        size_t start = after_header;
        size_t used = colors < 256 ? colors : 256;
        if (start > size || (size - start) / (size_t)padding < used) {
            mkt_set_message(info->message, sizeof(info->message), "truncated BMP: the palette is incomplete");
            return MKT_CODEC_TRUNCATED;
        }
        int grey = 1;
        for (size_t i = 0; i < colors && i < 256 && grey; i++) {
            uint8_t want = colors == 2 ? (i ? 255 : 0) : (uint8_t)i;
            const uint8_t *entry = data + start + i * (size_t)padding;
            grey = entry[0] == want && entry[1] == want && entry[2] == want;
        }
        if (grey && colors > 256) {
            grey = 0; /* Pillow compares all entries; indices past 255 never match i */
        }
        for (int i = 0; i < 256; i++) {
            if (grey) {
                uint8_t v = colors <= 2 ? (i ? 255 : 0) : (uint8_t)i;
                colours[i][0] = colours[i][1] = colours[i][2] = v;
            } else if ((size_t)i < used) {
                const uint8_t *entry = data + start + (size_t)i * (size_t)padding;
                colours[i][0] = entry[2];
                colours[i][1] = entry[1];
                colours[i][2] = entry[0];
            }
        }
        if (offset == 14 + header) {
            offset += (uint32_t)padding * colors;
        }
    }
    if (out == NULL) {
        return MKT_CODEC_OK;
    }
    if (offset == 0) {
        offset = (uint32_t)(after_header + (bits <= 8 ? (size_t)padding * colors : 0));
    }
    if (offset > size) {
        mkt_set_message(info->message, sizeof(info->message),
                        "truncated BMP: the pixel data starts past the end of the file");
        return MKT_CODEC_TRUNCATED;
    }

    if (rle) {
        uint8_t *indices = malloc((size_t)pixels);
        if (indices == NULL) {
            mkt_set_message(info->message, sizeof(info->message), "out of memory");
            return MKT_CODEC_NO_MEMORY;
        }
        int32_t status = bmp_rle(data, size, offset, width, height, compression == 2, indices, info);
        if (status == MKT_CODEC_OK) {
            for (uint32_t y = 0; y < height; y++) {
                uint32_t target = top_down ? y : height - 1 - y;
                for (uint32_t x = 0; x < width; x++) {
                    memcpy(out + 3 * ((uint64_t)target * width + x),
                           colours[indices[(uint64_t)y * width + x]], 3);
                }
            }
        }
        free(indices);
        return status;
    }

    uint64_t stride = (((uint64_t)width * bits + 31) >> 3) & ~(uint64_t)3;
    if ((size - offset) / stride < height) {
        mkt_set_message(info->message, sizeof(info->message),
                        "truncated BMP: the file ends before the pixel data is complete");
        return MKT_CODEC_TRUNCATED;
    }
    int shifts[3] = {bmp_shift(masks[0]), bmp_shift(masks[1]), bmp_shift(masks[2])};
    uint32_t maxima[3] = {masks[0] >> shifts[0], masks[1] >> shifts[1], masks[2] >> shifts[2]};
    for (uint32_t y = 0; y < height; y++) {
        const uint8_t *row = data + offset + (uint64_t)y * stride;
        uint8_t *target = out + 3 * (uint64_t)(top_down ? y : height - 1 - y) * width;
        for (uint32_t x = 0; x < width; x++) {
            uint8_t *pixel = target + 3 * (uint64_t)x;
            if (bits <= 8) {
                uint32_t index;
                if (bits == 8) {
                    index = row[x];
                } else if (bits == 4) {
                    index = (row[x / 2] >> (x % 2 ? 0 : 4)) & 0x0F;
                } else {
                    index = (row[x / 8] >> (7 - x % 8)) & 1;
                }
                memcpy(pixel, colours[index], 3);
            } else if (bits == 24) {
                pixel[0] = row[3 * x + 2];
                pixel[1] = row[3 * x + 1];
                pixel[2] = row[3 * x];
            } else {
                uint32_t value = bits == 16 ? bmp_u16(row + 2 * x) : bmp_u32(row + 4 * x);
                for (int c = 0; c < 3; c++) {
                    uint32_t v = (value & masks[c]) >> shifts[c];
                    pixel[c] = bits == 16 ? (uint8_t)(v * 255 / maxima[c]) : (uint8_t)v;
                }
            }
        }
    }
    return MKT_CODEC_OK;
}
