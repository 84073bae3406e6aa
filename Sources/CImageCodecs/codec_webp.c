/*
 * WebP through libwebp's animation decoder, as Pillow opens every WebP file: the first frame
 * composed on its canvas, decoded as non-premultiplied RGBA; `convert("RGB")` drops the alpha.
 * libwebp reports failures by status codes, never by jumping or printing.
 */
#include <stdlib.h>

#include <webp/decode.h>
#include <webp/demux.h>

#include "internal.h"

MKT_DECODER(mkt_decode_webp) {
    WebPBitstreamFeatures features;
    VP8StatusCode code = WebPGetFeatures(data, size, &features);
    if (code == VP8_STATUS_NOT_ENOUGH_DATA) {
        mkt_set_message(info->message, sizeof(info->message),
                        "truncated WebP: the file ends inside its header");
        return MKT_CODEC_TRUNCATED;
    }
    if (code != VP8_STATUS_OK) {
        mkt_set_message(info->message, sizeof(info->message), "corrupt WebP: bad header (status %d)",
                        (int)code);
        return code == VP8_STATUS_UNSUPPORTED_FEATURE ? MKT_CODEC_UNSUPPORTED : MKT_CODEC_CORRUPT;
    }
    info->channels = features.has_alpha ? 4 : 3;
    info->bit_depth = 8;
    info->interlaced = features.has_animation ? 1 : 0;

    WebPData input = {data, size};
    WebPAnimDecoderOptions options;
    if (!WebPAnimDecoderOptionsInit(&options)) {
        mkt_set_message(info->message, sizeof(info->message), "libwebp version mismatch");
        return MKT_CODEC_UNSUPPORTED;
    }
    options.color_mode = MODE_RGBA;
    options.use_threads = 0;
    /* The canvas size, read by the demuxer before the decoder allocates the canvas. */
    WebPDemuxer *demuxer = WebPDemux(&input);
    if (demuxer == NULL) {
        mkt_set_message(info->message, sizeof(info->message),
                        "corrupt or truncated WebP: the container cannot be parsed");
        return MKT_CODEC_CORRUPT;
    }
    uint32_t width = WebPDemuxGetI(demuxer, WEBP_FF_CANVAS_WIDTH);
    uint32_t height = WebPDemuxGetI(demuxer, WEBP_FF_CANVAS_HEIGHT);
    WebPDemuxDelete(demuxer);
    info->width = (int32_t)width;
    info->height = (int32_t)height;
    uint64_t pixels = (uint64_t)width * (uint64_t)height;
    int32_t checked = mkt_check_size(info, width, height, max_pixels, out, out_capacity);
    if (checked != MKT_CODEC_OK || out == NULL) {
        return checked;
    }
    WebPAnimDecoder *decoder = WebPAnimDecoderNew(&input, &options);
    if (decoder == NULL) {
        mkt_set_message(info->message, sizeof(info->message),
                        "corrupt WebP: the decoder cannot be created");
        return MKT_CODEC_CORRUPT;
    }
    uint8_t *rgba = NULL;
    int timestamp = 0;
    if (!WebPAnimDecoderGetNext(decoder, &rgba, &timestamp) || rgba == NULL) {
        WebPAnimDecoderDelete(decoder);
        mkt_set_message(info->message, sizeof(info->message),
                        "corrupt or truncated WebP: the first frame does not decode");
        return MKT_CODEC_CORRUPT;
    }
    for (uint64_t i = 0; i < pixels; i++) {
        out[3 * i] = rgba[4 * i];
        out[3 * i + 1] = rgba[4 * i + 1];
        out[3 * i + 2] = rgba[4 * i + 2];
    }
    WebPAnimDecoderDelete(decoder);
    return MKT_CODEC_OK;
}
