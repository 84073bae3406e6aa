/* Encoding RGB frames into a video file. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct mkt_video_writer {
    AVFormatContext *format;
    AVCodecContext *encoder;
    AVStream *stream;
    struct SwsContext *sws;
    AVFrame *frame;
    AVPacket *packet;
    int64_t next_pts;
    int width, height;
    uint8_t *rgb;    /* the caller's frame copied into padded rows, for swscale's SIMD reads */
    int rgb_stride;
    int header_written;
};

/* The encoder, container and pixel format of a codec choice. */
typedef struct {
    const char *encoders[2];
    const char *container;
    enum AVPixelFormat pixel_format;
} codec_choice;

static int choose(int32_t codec, codec_choice *choice) {
    switch (codec) {
    case MKT_VIDEO_CODEC_H264:
        *choice = (codec_choice){{"libx264", "mpeg4"}, "mp4", AV_PIX_FMT_YUV420P};
        return 1;
    case MKT_VIDEO_CODEC_VP9:
        *choice = (codec_choice){{"libvpx-vp9", NULL}, "webm", AV_PIX_FMT_YUV420P};
        return 1;
    case MKT_VIDEO_CODEC_MJPEG:
        *choice = (codec_choice){{"mjpeg", NULL}, "avi", AV_PIX_FMT_YUVJ420P};
        return 1;
    case MKT_VIDEO_CODEC_FFV1:
        *choice = (codec_choice){{"ffv1", NULL}, "matroska", AV_PIX_FMT_0RGB32};
        return 1;
    case MKT_VIDEO_CODEC_H264_RGB:
        *choice = (codec_choice){{"libx264rgb", NULL}, "matroska", AV_PIX_FMT_RGB24};
        return 1;
    default:
        return 0;
    }
}

static const AVCodec *find_encoder(const codec_choice *choice) {
    for (int i = 0; i < 2 && choice->encoders[i] != NULL; i++) {
        const AVCodec *codec = avcodec_find_encoder_by_name(choice->encoders[i]);
        if (codec != NULL) {
            return codec;
        }
    }
    return NULL;
}

int32_t mkt_video_codec_available(int32_t codec) {
    codec_choice choice;
    return choose(codec, &choice) && find_encoder(&choice) != NULL;
}

/* The codec's quality options: constant quality where the codec has it, deterministic threads. */
static void set_options(AVCodecContext *encoder, const AVCodec *codec, int32_t quality, AVDictionary **options) {
    char number[32];
    encoder->thread_count = 1;
    if (strcmp(codec->name, "libx264") == 0) {
        snprintf(number, sizeof(number), "%d", quality >= 0 ? quality : 18);
        av_dict_set(options, "crf", number, 0);
        av_dict_set(options, "preset", "medium", 0);
    } else if (strcmp(codec->name, "libx264rgb") == 0) {
        av_dict_set(options, "qp", "0", 0);
        av_dict_set(options, "preset", "medium", 0);
    } else if (strcmp(codec->name, "libvpx-vp9") == 0) {
        snprintf(number, sizeof(number), "%d", quality >= 0 ? quality : 31);
        av_dict_set(options, "crf", number, 0);
        av_dict_set(options, "b", "0", 0);
        av_dict_set(options, "deadline", "good", 0);
        av_dict_set(options, "cpu-used", "4", 0);
    } else if (strcmp(codec->name, "mjpeg") == 0 || strcmp(codec->name, "mpeg4") == 0) {
        encoder->flags |= AV_CODEC_FLAG_QSCALE;
        encoder->global_quality = FF_QP2LAMBDA * (quality >= 0 ? quality : 3);
    } else if (strcmp(codec->name, "ffv1") == 0) {
        av_dict_set(options, "level", "3", 0);
    }
}

int32_t mkt_video_writer_open(const char *path, int32_t codec_id, int32_t width, int32_t height, int32_t fps_num,
                              int32_t fps_den, int32_t quality, mkt_video_writer **out, mkt_video_error *error) {
    mkt_video_silence_ffmpeg();
    *out = NULL;
    codec_choice choice;
    if (!choose(codec_id, &choice)) {
        mkt_video_set_message(error, "unknown codec %d", codec_id);
        return MKT_VIDEO_INVALID_ARGUMENT;
    }
    if (width <= 0 || height <= 0 || fps_num <= 0 || fps_den <= 0) {
        mkt_video_set_message(error, "invalid size %dx%d or frame rate %d/%d", width, height, fps_num, fps_den);
        return MKT_VIDEO_INVALID_ARGUMENT;
    }
    const AVCodec *codec = find_encoder(&choice);
    if (codec == NULL) {
        mkt_video_set_message(error, "this FFmpeg has no %s encoder", choice.encoders[0]);
        return MKT_VIDEO_UNSUPPORTED;
    }
    if (choice.pixel_format == AV_PIX_FMT_YUV420P && strcmp(codec->name, "libvpx-vp9") != 0 &&
        (width % 2 != 0 || height % 2 != 0)) {
        mkt_video_set_message(error, "%s with 4:2:0 chroma needs an even width and height, got %dx%d", codec->name,
                              width, height);
        return MKT_VIDEO_INVALID_ARGUMENT;
    }
    mkt_video_writer *writer = calloc(1, sizeof(mkt_video_writer));
    char *url = mkt_video_file_url(path);
    char reason[128];
    int ret;
    int32_t status = MKT_VIDEO_ENCODING;
    if (writer == NULL || url == NULL) {
        free(url);
        free(writer);
        mkt_video_set_message(error, "out of memory");
        return MKT_VIDEO_NO_MEMORY;
    }
    writer->width = width;
    writer->height = height;
    if ((ret = avformat_alloc_output_context2(&writer->format, NULL, choice.container, url)) < 0) {
        mkt_video_set_message(error, "no %s muxer (%s)", choice.container, mkt_video_describe(ret, reason, sizeof(reason)));
        status = MKT_VIDEO_UNSUPPORTED;
        goto fail;
    }
    writer->stream = avformat_new_stream(writer->format, NULL);
    writer->encoder = avcodec_alloc_context3(codec);
    writer->frame = av_frame_alloc();
    writer->packet = av_packet_alloc();
    if (writer->stream == NULL || writer->encoder == NULL || writer->frame == NULL || writer->packet == NULL) {
        mkt_video_set_message(error, "out of memory");
        status = MKT_VIDEO_NO_MEMORY;
        goto fail;
    }
    AVCodecContext *encoder = writer->encoder;
    encoder->width = width;
    encoder->height = height;
    encoder->time_base = (AVRational){fps_den, fps_num};
    encoder->framerate = (AVRational){fps_num, fps_den};
    encoder->pix_fmt = choice.pixel_format;
    encoder->gop_size = 12;
    if (choice.pixel_format == AV_PIX_FMT_YUV420P || choice.pixel_format == AV_PIX_FMT_YUVJ420P) {
        encoder->colorspace = AVCOL_SPC_SMPTE170M;
        encoder->color_range = choice.pixel_format == AV_PIX_FMT_YUVJ420P ? AVCOL_RANGE_JPEG : AVCOL_RANGE_MPEG;
    }
    if (writer->format->oformat->flags & AVFMT_GLOBALHEADER) {
        encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    }
    AVDictionary *options = NULL;
    set_options(encoder, codec, quality, &options);
    ret = avcodec_open2(encoder, codec, &options);
    av_dict_free(&options);
    if (ret < 0) {
        mkt_video_set_message(error, "the %s encoder does not open (%s)", codec->name,
                              mkt_video_describe(ret, reason, sizeof(reason)));
        goto fail;
    }
    if ((ret = avcodec_parameters_from_context(writer->stream->codecpar, encoder)) < 0) {
        mkt_video_set_message(error, "stream parameters (%s)", mkt_video_describe(ret, reason, sizeof(reason)));
        goto fail;
    }
    writer->stream->time_base = encoder->time_base;
    writer->stream->avg_frame_rate = encoder->framerate;
    AVDictionary *io = NULL;
    av_dict_set(&io, "protocol_whitelist", "file", 0);
    ret = avio_open2(&writer->format->pb, url, AVIO_FLAG_WRITE, NULL, &io);
    av_dict_free(&io);
    if (ret < 0) {
        mkt_video_set_message(error, "cannot be created (%s)", mkt_video_describe(ret, reason, sizeof(reason)));
        status = MKT_VIDEO_UNREADABLE;
        goto fail;
    }
    if ((ret = avformat_write_header(writer->format, NULL)) < 0) {
        mkt_video_set_message(error, "the %s header cannot be written (%s)", choice.container,
                              mkt_video_describe(ret, reason, sizeof(reason)));
        goto fail;
    }
    writer->header_written = 1;
    writer->frame->format = encoder->pix_fmt;
    writer->frame->width = width;
    writer->frame->height = height;
    writer->frame->colorspace = encoder->colorspace;
    writer->frame->color_range = encoder->color_range;
    if ((ret = av_frame_get_buffer(writer->frame, 0)) < 0) {
        mkt_video_set_message(error, "out of memory for a %dx%d frame", width, height);
        status = MKT_VIDEO_NO_MEMORY;
        goto fail;
    }
    if (encoder->pix_fmt != AV_PIX_FMT_RGB24) {
        writer->sws = sws_getContext(width, height, AV_PIX_FMT_RGB24, width, height, encoder->pix_fmt,
                                     SWS_BICUBIC | SWS_ACCURATE_RND, NULL, NULL, NULL);
        if (writer->sws == NULL) {
            mkt_video_set_message(error, "no conversion from rgb24 to %s", av_get_pix_fmt_name(encoder->pix_fmt));
            goto fail;
        }
        if (encoder->pix_fmt == AV_PIX_FMT_YUV420P || encoder->pix_fmt == AV_PIX_FMT_YUVJ420P) {
            const int *table = sws_getCoefficients(SWS_CS_DEFAULT);
            sws_setColorspaceDetails(writer->sws, table, 1, table, encoder->pix_fmt == AV_PIX_FMT_YUVJ420P, 0, 1 << 16,
                                     1 << 16);
        }
    }
    writer->rgb_stride = FFALIGN(3 * FFALIGN(width, 16), 64);
    writer->rgb = av_mallocz((size_t)writer->rgb_stride * (size_t)(height + 1));
    if (writer->rgb == NULL) {
        mkt_video_set_message(error, "out of memory for a %dx%d frame", width, height);
        status = MKT_VIDEO_NO_MEMORY;
        goto fail;
    }
    free(url);
    *out = writer;
    return MKT_VIDEO_OK;
fail:
    free(url);
    mkt_video_writer_free(writer);
    return status;
}

/* Sends `frame` (NULL: flush) and writes every packet the encoder has ready. */
static int32_t encode(mkt_video_writer *writer, AVFrame *frame, mkt_video_error *error) {
    char reason[128];
    int ret = avcodec_send_frame(writer->encoder, frame);
    if (ret < 0) {
        mkt_video_set_message(error, "encoding frame %lld fails (%s)", (long long)writer->next_pts,
                              mkt_video_describe(ret, reason, sizeof(reason)));
        return MKT_VIDEO_ENCODING;
    }
    for (;;) {
        ret = avcodec_receive_packet(writer->encoder, writer->packet);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) {
            return MKT_VIDEO_OK;
        }
        if (ret < 0) {
            mkt_video_set_message(error, "encoding fails (%s)", mkt_video_describe(ret, reason, sizeof(reason)));
            return MKT_VIDEO_ENCODING;
        }
        av_packet_rescale_ts(writer->packet, writer->encoder->time_base, writer->stream->time_base);
        writer->packet->stream_index = writer->stream->index;
        ret = av_interleaved_write_frame(writer->format, writer->packet);
        if (ret < 0) {
            mkt_video_set_message(error, "writing fails (%s)", mkt_video_describe(ret, reason, sizeof(reason)));
            return MKT_VIDEO_ENCODING;
        }
    }
}

int32_t mkt_video_writer_add(mkt_video_writer *writer, const uint8_t *rgb, mkt_video_error *error) {
    AVFrame *frame = writer->frame;
    if (av_frame_make_writable(frame) < 0) {
        mkt_video_set_message(error, "out of memory for frame %lld", (long long)writer->next_pts);
        return MKT_VIDEO_NO_MEMORY;
    }
    av_image_copy_plane(writer->rgb, writer->rgb_stride, rgb, writer->width * 3, writer->width * 3, writer->height);
    const uint8_t *planes[4] = {writer->rgb, NULL, NULL, NULL};
    int strides[4] = {writer->rgb_stride, 0, 0, 0};
    if (writer->sws != NULL) {
        sws_scale(writer->sws, planes, strides, 0, writer->height, frame->data, frame->linesize);
    } else {
        av_image_copy_plane(frame->data[0], frame->linesize[0], rgb, writer->width * 3, writer->width * 3,
                            writer->height);
    }
    frame->pts = writer->next_pts;
    int32_t status = encode(writer, frame, error);
    writer->next_pts++;
    return status;
}

int32_t mkt_video_writer_finish(mkt_video_writer *writer, mkt_video_error *error) {
    int32_t status = encode(writer, NULL, error);
    if (status == MKT_VIDEO_OK) {
        char reason[128];
        int ret = av_write_trailer(writer->format);
        if (ret < 0) {
            mkt_video_set_message(error, "the trailer cannot be written (%s)",
                                  mkt_video_describe(ret, reason, sizeof(reason)));
            status = MKT_VIDEO_ENCODING;
        }
        writer->header_written = 0;
        if (avio_closep(&writer->format->pb) < 0 && status == MKT_VIDEO_OK) {
            mkt_video_set_message(error, "closing the file fails");
            status = MKT_VIDEO_ENCODING;
        }
    }
    mkt_video_writer_free(writer);
    return status;
}

void mkt_video_writer_free(mkt_video_writer *writer) {
    if (writer == NULL) {
        return;
    }
    if (writer->format != NULL) {
        if (writer->format->pb != NULL) {
            avio_closep(&writer->format->pb);
        }
        avformat_free_context(writer->format);
    }
    avcodec_free_context(&writer->encoder);
    av_frame_free(&writer->frame);
    av_packet_free(&writer->packet);
    sws_freeContext(writer->sws);
    av_freep(&writer->rgb);
    free(writer);
}
