/*
 * CImageCodecs: a small C shim over libpng, libjpeg(-turbo), libwebp and libtiff, with GIF and
 * BMP decoders of its own.
 *
 * libpng and libjpeg report fatal errors by jumping out of the decoder (libpng with longjmp,
 * libjpeg through `error_exit`, which by default ends the process); libtiff prints through
 * global handlers. The functions here catch those jumps with setjmp, route libtiff's messages to
 * a per-call handler, check every size and offset of the GIF and BMP decoders against the data,
 * and turn failures into status codes and a one-line message, so that a corrupt, truncated or
 * hostile file can never crash the caller.
 *
 * Decoding always produces 8-bit RGB, interleaved, row-major ([H, W, 3]), converted the way
 * Pillow's `Image.open(f).convert("RGB")` does (see Docs/Images.md for the rules).
 */
#ifndef MKT_CODECS_H
#define MKT_CODECS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Result of a codec call. */
typedef enum {
    MKT_CODEC_OK = 0,
    /** Not a known format, or a variant that cannot be decoded (e.g. 12-bit JPEG, tiled TIFF). */
    MKT_CODEC_UNSUPPORTED = 1,
    /** The data is damaged (bad header, bad chunk, bad Huffman data, ...). */
    MKT_CODEC_CORRUPT = 2,
    /** The data ends before the image is complete. */
    MKT_CODEC_TRUNCATED = 3,
    /** width x height exceeds the caller's pixel limit (decompression-bomb guard). */
    MKT_CODEC_TOO_LARGE = 4,
    /** Memory could not be allocated. */
    MKT_CODEC_NO_MEMORY = 5,
    /** Zero bytes of input. */
    MKT_CODEC_EMPTY = 6,
    /** The caller's output buffer is smaller than width * height * 3 bytes. */
    MKT_CODEC_BUFFER_TOO_SMALL = 7,
    /** Invalid arguments (e.g. non-positive size when encoding). */
    MKT_CODEC_INVALID_ARGUMENT = 8
} mkt_codec_status;

/** The container format, detected from the first bytes. */
typedef enum {
    MKT_FORMAT_UNKNOWN = 0,
    MKT_FORMAT_PNG = 1,
    MKT_FORMAT_JPEG = 2,
    MKT_FORMAT_WEBP = 3,
    MKT_FORMAT_GIF = 4,
    MKT_FORMAT_BMP = 5,
    MKT_FORMAT_TIFF = 6
} mkt_image_format;

/** What the header says about an image, and the message of the last failure. */
typedef struct {
    int32_t width;
    int32_t height;
    /** An `mkt_image_format`. */
    int32_t format;
    /** Channels stored in the file: 1 grey, 2 grey+alpha, 3 colour, 4 colour+alpha / CMYK;
        for palette PNGs 1 (the index). */
    int32_t channels;
    /** Bits per sample stored in the file (1, 2, 4, 8, 16). */
    int32_t bit_depth;
    /** 1 for palette PNGs. */
    int32_t palette;
    /** 1 for interlaced PNGs and progressive JPEGs. */
    int32_t interlaced;
    /** A one-line description of the failure when the status is not MKT_CODEC_OK. */
    char message[240];
} mkt_image_info;

/** The format that the first bytes announce (PNG signature, JPEG SOI + marker, `RIFF....WEBP`,
    `GIF87a`/`GIF89a`, `BM`, `II*\0`/`MM\0*` or their BigTIFF forms). */
int32_t mkt_detect_format(const uint8_t *data, size_t size);

/**
 * Decodes a PNG, JPEG, WebP (first frame), GIF (first frame), BMP or TIFF (first image) held in
 * memory into 8-bit RGB.
 *
 * With `out == NULL` only the header is read: `info` gets the size and kind, and the pixel
 * limit is checked. Otherwise `out` must hold at least width * height * 3 bytes (read the
 * header first) and receives the [H, W, 3] pixels.
 *
 * `max_pixels` is the decompression-bomb guard: images with more pixels fail with
 * MKT_CODEC_TOO_LARGE before any pixel memory is touched (0 means no limit).
 */
int32_t mkt_decode_rgb8(const uint8_t *data, size_t size, uint64_t max_pixels,
                        mkt_image_info *info, uint8_t *out, size_t out_capacity);

/**
 * Encodes [H, W, 3] RGB pixels as an 8-bit RGB PNG (zlib level 0-9, -1 for the default).
 * On success `*out` holds `*out_size` bytes allocated with malloc: release with mkt_codec_free.
 */
int32_t mkt_encode_png(const uint8_t *rgb, int32_t width, int32_t height, int32_t level,
                       uint8_t **out, size_t *out_size, char *message, size_t message_size);

/**
 * Encodes [H, W, 3] RGB pixels as a baseline JPEG (quality 1-100, 4:2:0 chroma, libjpeg's
 * defaults otherwise). `*out` is released with mkt_codec_free.
 */
int32_t mkt_encode_jpeg(const uint8_t *rgb, int32_t width, int32_t height, int32_t quality,
                        uint8_t **out, size_t *out_size, char *message, size_t message_size);

/** Releases a buffer returned by an encoder. */
void mkt_codec_free(void *pointer);

#ifdef __cplusplus
}
#endif

#endif /* MKT_CODECS_H */
