/* Decoding a whole video file into its frames, and converting frames to RGB24. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct mkt_video_reader {
    AVFrame **frames;      /* [count] decoded frames, the decoder's pixel format */
    int64_t count;
    int64_t capacity;
    char codec[32];
    AVRational frame_rate;
    struct SwsContext *sws; /* the conversion of the last converted frame's kind */
    int sws_width, sws_height, sws_format, sws_space, sws_range;
    uint8_t *rgb;           /* swscale's output: padded rows (its SIMD writes whole blocks) */
    int rgb_stride;
};

static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;
static void make_quiet(void) { av_log_set_level(AV_LOG_QUIET); }

void mkt_video_silence_ffmpeg(void) { pthread_once(&quiet_once, make_quiet); }

void mkt_video_set_message(mkt_video_error *error, const char *format, ...) {
    if (error == NULL) {
        return;
    }
    va_list args;
    va_start(args, format);
    vsnprintf(error->message, sizeof(error->message), format, args);
    va_end(args);
    for (char *c = error->message; *c; c++) {
        if (*c == '\n' || *c == '\r') {
            *c = ' ';
        }
    }
}

const char *mkt_video_describe(int code, char *buffer, size_t size) {
    if (av_strerror(code, buffer, size) < 0) {
        snprintf(buffer, size, "error %d", code);
    }
    return buffer;
}

char *mkt_video_file_url(const char *path) {
    size_t length = strlen(path);
    char *url = malloc(length + 6);
    if (url != NULL) {
        memcpy(url, "file:", 5);
        memcpy(url + 5, path, length + 1);
    }
    return url;
}

static int32_t open_status(int code) {
    if (code == AVERROR(ENOENT) || code == AVERROR(EACCES) || code == AVERROR(EISDIR) || code == AVERROR(EIO)) {
        return MKT_VIDEO_UNREADABLE;
    }
    if (code == AVERROR(ENOMEM)) {
        return MKT_VIDEO_NO_MEMORY;
    }
    return MKT_VIDEO_UNSUPPORTED;
}

/* The name of the container that the first bytes of the file announce (content only, not the
   file name), or NULL: tells a damaged video file from a file that is not a video. */
static const char *probed_format(const char *path) {
    uint8_t buffer[4096 + AVPROBE_PADDING_SIZE];
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        return NULL;
    }
    size_t size = fread(buffer, 1, 4096, file);
    fclose(file);
    if (size == 0) {
        return NULL;
    }
    memset(buffer + size, 0, AVPROBE_PADDING_SIZE);
    AVProbeData probe = {.filename = "", .buf = buffer, .buf_size = (int)size, .mime_type = NULL};
    int score = 0;
    const AVInputFormat *format = av_probe_input_format2(&probe, 1, &score);
    return format != NULL && score > AVPROBE_SCORE_EXTENSION ? format->name : NULL;
}

/* Appends a reference to `frame` after the size checks. */
static int32_t keep_frame(mkt_video_reader *reader, const AVFrame *frame, uint64_t max_pixels, uint64_t max_bytes,
                          uint64_t *bytes, mkt_video_error *error) {
    uint64_t pixels = (uint64_t)frame->width * (uint64_t)frame->height;
    if (frame->width <= 0 || frame->height <= 0) {
        mkt_video_set_message(error, "frame %lld has no pixels (%dx%d)", (long long)reader->count, frame->width,
                              frame->height);
        return MKT_VIDEO_CORRUPT;
    }
    if (max_pixels != 0 && pixels > max_pixels) {
        mkt_video_set_message(error, "frames of %dx%d = %llu pixels exceed the limit of %llu pixels", frame->width,
                              frame->height, (unsigned long long)pixels, (unsigned long long)max_pixels);
        return MKT_VIDEO_TOO_LARGE;
    }
    int size = av_image_get_buffer_size(frame->format, frame->width, frame->height, 1);
    *bytes += size > 0 ? (uint64_t)size : pixels * 3;
    if (max_bytes != 0 && *bytes > max_bytes) {
        mkt_video_set_message(error, "the decoded frames exceed the memory limit of %llu MB after %lld frames",
                              (unsigned long long)(max_bytes >> 20), (long long)reader->count);
        return MKT_VIDEO_TOO_LARGE;
    }
    if (reader->count == reader->capacity) {
        int64_t capacity = reader->capacity == 0 ? 64 : reader->capacity * 2;
        AVFrame **grown = realloc(reader->frames, (size_t)capacity * sizeof(AVFrame *));
        if (grown == NULL) {
            mkt_video_set_message(error, "out of memory after %lld frames", (long long)reader->count);
            return MKT_VIDEO_NO_MEMORY;
        }
        reader->frames = grown;
        reader->capacity = capacity;
    }
    AVFrame *copy = av_frame_clone(frame);
    if (copy == NULL) {
        mkt_video_set_message(error, "out of memory after %lld frames", (long long)reader->count);
        return MKT_VIDEO_NO_MEMORY;
    }
    reader->frames[reader->count++] = copy;
    return MKT_VIDEO_OK;
}

/* Receives every frame the decoder has ready; `flushing` expects AVERROR_EOF at the end. */
static int32_t drain(mkt_video_reader *reader, AVCodecContext *decoder, AVFrame *frame, uint64_t max_pixels,
                     uint64_t max_bytes, uint64_t *bytes, mkt_video_error *error) {
    char reason[128];
    for (;;) {
        int ret = avcodec_receive_frame(decoder, frame);
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) {
            return MKT_VIDEO_OK;
        }
        if (ret < 0) {
            mkt_video_set_message(error, "frame %lld does not decode (%s)", (long long)reader->count,
                                  mkt_video_describe(ret, reason, sizeof(reason)));
            return ret == AVERROR(ENOMEM) ? MKT_VIDEO_NO_MEMORY : MKT_VIDEO_CORRUPT;
        }
        if (frame->decode_error_flags != 0 || (frame->flags & AV_FRAME_FLAG_CORRUPT)) {
            mkt_video_set_message(error, "frame %lld is damaged (decoding errors were concealed)",
                                  (long long)reader->count);
            av_frame_unref(frame);
            return MKT_VIDEO_CORRUPT;
        }
        int32_t status = keep_frame(reader, frame, max_pixels, max_bytes, bytes, error);
        av_frame_unref(frame);
        if (status != MKT_VIDEO_OK) {
            return status;
        }
    }
}

/* The demux and decode loop over an opened file. */
static int32_t decode_stream(mkt_video_reader *reader, AVFormatContext *format, int index, uint64_t max_pixels,
                             uint64_t max_bytes, mkt_video_error *error) {
    AVStream *stream = format->streams[index];
    const AVCodec *codec = avcodec_find_decoder(stream->codecpar->codec_id);
    if (codec == NULL) {
        mkt_video_set_message(error, "no decoder for its %s video stream",
                              avcodec_get_name(stream->codecpar->codec_id));
        return MKT_VIDEO_UNSUPPORTED;
    }
    snprintf(reader->codec, sizeof(reader->codec), "%s", codec->name);
    reader->frame_rate = stream->avg_frame_rate.den > 0 ? stream->avg_frame_rate : stream->r_frame_rate;
    AVCodecContext *decoder = avcodec_alloc_context3(codec);
    AVPacket *packet = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    int32_t status = MKT_VIDEO_OK;
    char reason[128];
    int ret;
    if (decoder == NULL || packet == NULL || frame == NULL) {
        mkt_video_set_message(error, "out of memory before decoding");
        status = MKT_VIDEO_NO_MEMORY;
        goto done;
    }
    if ((ret = avcodec_parameters_to_context(decoder, stream->codecpar)) < 0) {
        mkt_video_set_message(error, "bad stream parameters (%s)", mkt_video_describe(ret, reason, sizeof(reason)));
        status = MKT_VIDEO_CORRUPT;
        goto done;
    }
    decoder->pkt_timebase = stream->time_base;
    decoder->thread_count = 1;
    if ((ret = avcodec_open2(decoder, codec, NULL)) < 0) {
        mkt_video_set_message(error, "the %s decoder does not open (%s)", codec->name,
                              mkt_video_describe(ret, reason, sizeof(reason)));
        status = ret == AVERROR_PATCHWELCOME ? MKT_VIDEO_UNSUPPORTED : MKT_VIDEO_CORRUPT;
        goto done;
    }
    uint64_t bytes = 0;
    int64_t packets = 0;
    int64_t end = AV_NOPTS_VALUE; /* the end of the last packet, AV_TIME_BASE units */
    for (;;) {
        ret = av_read_frame(format, packet);
        if (ret == AVERROR_EOF) {
            break;
        }
        if (ret < 0) {
            mkt_video_set_message(error, "reading ends with an error after %lld packets (%s)", (long long)packets,
                                  mkt_video_describe(ret, reason, sizeof(reason)));
            status = ret == AVERROR(ENOMEM) ? MKT_VIDEO_NO_MEMORY : MKT_VIDEO_TRUNCATED;
            goto done;
        }
        if (packet->stream_index != index) {
            av_packet_unref(packet);
            continue;
        }
        if (packet->flags & AV_PKT_FLAG_CORRUPT) {
            mkt_video_set_message(error, "packet %lld is cut short or damaged", (long long)packets);
            status = MKT_VIDEO_TRUNCATED;
            goto done;
        }
        packets++;
        int64_t time = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
        if (time != AV_NOPTS_VALUE) {
            int64_t stop = av_rescale_q(time + FFMAX(packet->duration, 0), stream->time_base, AV_TIME_BASE_Q);
            end = end == AV_NOPTS_VALUE ? stop : FFMAX(end, stop);
        }
        ret = avcodec_send_packet(decoder, packet);
        av_packet_unref(packet);
        if (ret < 0 && ret != AVERROR(EAGAIN)) {
            mkt_video_set_message(error, "packet %lld does not decode (%s)", (long long)packets - 1,
                                  mkt_video_describe(ret, reason, sizeof(reason)));
            status = ret == AVERROR(ENOMEM) ? MKT_VIDEO_NO_MEMORY : MKT_VIDEO_CORRUPT;
            goto done;
        }
        if ((status = drain(reader, decoder, frame, max_pixels, max_bytes, &bytes, error)) != MKT_VIDEO_OK) {
            goto done;
        }
    }
    avcodec_send_packet(decoder, NULL);
    if ((status = drain(reader, decoder, frame, max_pixels, max_bytes, &bytes, error)) != MKT_VIDEO_OK) {
        goto done;
    }
    if (stream->nb_frames > 0 && packets < stream->nb_frames) {
        mkt_video_set_message(error, "the file ends after %lld of the %lld frames its header announces",
                              (long long)packets, (long long)stream->nb_frames);
        status = MKT_VIDEO_TRUNCATED;
        goto done;
    }
    if (stream->nb_frames <= 0 && end != AV_NOPTS_VALUE && format->duration > 0 &&
        format->duration_estimation_method != AVFMT_DURATION_FROM_BITRATE) {
        /* Containers without a frame count (Matroska/WebM) state a duration: frames that stop
           well before it (by 3 frames, 5 % and a quarter second) were cut off. */
        int64_t start = format->start_time != AV_NOPTS_VALUE ? format->start_time : 0;
        int64_t frame = reader->frame_rate.num > 0 ? av_rescale_q(1, av_inv_q(reader->frame_rate), AV_TIME_BASE_Q) : 0;
        int64_t slack = FFMAX(FFMAX(3 * frame, format->duration / 20), AV_TIME_BASE / 4);
        if (end - start + slack < format->duration) {
            mkt_video_set_message(error, "the frames end at %.2f s of the %.2f s its header announces",
                                  (double)(end - start) / AV_TIME_BASE, (double)format->duration / AV_TIME_BASE);
            status = MKT_VIDEO_TRUNCATED;
            goto done;
        }
    }
    if (reader->count == 0) {
        if (packets == 0) {
            mkt_video_set_message(error, "the video stream holds no frames");
            status = MKT_VIDEO_NO_FRAMES;
        } else {
            mkt_video_set_message(error, "none of its %lld packets decodes to a frame", (long long)packets);
            status = MKT_VIDEO_CORRUPT;
        }
    }
done:
    av_frame_free(&frame);
    av_packet_free(&packet);
    avcodec_free_context(&decoder);
    return status;
}

int32_t mkt_video_decode_file(const char *path, uint64_t max_pixels, uint64_t max_bytes, mkt_video_reader **out,
                              mkt_video_error *error) {
    mkt_video_silence_ffmpeg();
    *out = NULL;
    char reason[128];
    char *url = mkt_video_file_url(path);
    mkt_video_reader *reader = calloc(1, sizeof(mkt_video_reader));
    if (url == NULL || reader == NULL) {
        free(url);
        free(reader);
        mkt_video_set_message(error, "out of memory");
        return MKT_VIDEO_NO_MEMORY;
    }
    reader->sws_format = -1;
    AVFormatContext *format = NULL;
    AVDictionary *options = NULL;
    av_dict_set(&options, "protocol_whitelist", "file", 0);
    int ret = avformat_open_input(&format, url, NULL, &options);
    av_dict_free(&options);
    free(url);
    int32_t status;
    if (ret < 0) {
        status = open_status(ret);
        const char *known = status == MKT_VIDEO_UNSUPPORTED ? probed_format(path) : NULL;
        if (known != NULL) {
            mkt_video_set_message(error, "a damaged or cut-short %s file (%s)", known,
                                  mkt_video_describe(ret, reason, sizeof(reason)));
            status = MKT_VIDEO_CORRUPT;
        } else if (status == MKT_VIDEO_UNSUPPORTED) {
            mkt_video_set_message(error, "not a video container FFmpeg reads (%s)",
                                  mkt_video_describe(ret, reason, sizeof(reason)));
        } else {
            mkt_video_set_message(error, "cannot be opened (%s)", mkt_video_describe(ret, reason, sizeof(reason)));
        }
        mkt_video_reader_free(reader);
        return status;
    }
    if ((ret = avformat_find_stream_info(format, NULL)) < 0) {
        mkt_video_set_message(error, "its streams cannot be read (%s)", mkt_video_describe(ret, reason, sizeof(reason)));
        status = MKT_VIDEO_CORRUPT;
        goto fail;
    }
    int index = -1;
    for (unsigned i = 0; i < format->nb_streams; i++) {
        if (format->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO) {
            index = (int)i;
            break;
        }
    }
    if (index < 0) {
        mkt_video_set_message(error, "has no video stream (%s container)", format->iformat->name);
        status = MKT_VIDEO_UNSUPPORTED;
        goto fail;
    }
    status = decode_stream(reader, format, index, max_pixels, max_bytes, error);
    if (status != MKT_VIDEO_OK) {
        goto fail;
    }
    avformat_close_input(&format);
    *out = reader;
    return MKT_VIDEO_OK;
fail:
    avformat_close_input(&format);
    mkt_video_reader_free(reader);
    return status;
}

int64_t mkt_video_frame_count(const mkt_video_reader *reader) { return reader->count; }

int32_t mkt_video_frame_size(const mkt_video_reader *reader, int64_t index, int32_t *width, int32_t *height) {
    if (index < 0 || index >= reader->count) {
        return MKT_VIDEO_INVALID_ARGUMENT;
    }
    *width = reader->frames[index]->width;
    *height = reader->frames[index]->height;
    return MKT_VIDEO_OK;
}

const char *mkt_video_codec_name(const mkt_video_reader *reader) { return reader->codec; }

void mkt_video_frame_rate(const mkt_video_reader *reader, int32_t *num, int32_t *den) {
    *num = reader->frame_rate.den > 0 ? reader->frame_rate.num : 0;
    *den = reader->frame_rate.den > 0 ? reader->frame_rate.den : 1;
}

/* swscale's coefficient table for a frame's colour space (BT.601 when unspecified), as PyAV. */
static int sws_space(enum AVColorSpace space) {
    switch (space) {
    case AVCOL_SPC_BT709:
        return SWS_CS_ITU709;
    case AVCOL_SPC_FCC:
        return SWS_CS_FCC;
    case AVCOL_SPC_SMPTE240M:
        return SWS_CS_SMPTE240M;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL:
        return SWS_CS_BT2020;
    default:
        return SWS_CS_DEFAULT;
    }
}

int32_t mkt_video_frame_rgb(mkt_video_reader *reader, int64_t index, uint8_t *out, size_t capacity,
                            mkt_video_error *error) {
    if (index < 0 || index >= reader->count) {
        mkt_video_set_message(error, "frame %lld outside 0..<%lld", (long long)index, (long long)reader->count);
        return MKT_VIDEO_INVALID_ARGUMENT;
    }
    const AVFrame *frame = reader->frames[index];
    if (capacity < (size_t)frame->width * (size_t)frame->height * 3) {
        mkt_video_set_message(error, "buffer of %zu bytes too small for a %dx%d frame", capacity, frame->width,
                              frame->height);
        return MKT_VIDEO_INVALID_ARGUMENT;
    }
    const AVPixFmtDescriptor *descriptor = av_pix_fmt_desc_get(frame->format);
    int yuv = descriptor != NULL && !(descriptor->flags & AV_PIX_FMT_FLAG_RGB) && descriptor->nb_components >= 3;
    int full = frame->color_range == AVCOL_RANGE_JPEG ||
               (descriptor != NULL && strncmp(descriptor->name, "yuvj", 4) == 0);
    int space = sws_space(frame->colorspace);
    if (reader->sws == NULL || reader->sws_width != frame->width || reader->sws_height != frame->height ||
        reader->sws_format != frame->format || reader->sws_space != space || reader->sws_range != full) {
        sws_freeContext(reader->sws);
        av_freep(&reader->rgb);
        reader->rgb_stride = 0;
        reader->sws = sws_getContext(frame->width, frame->height, frame->format, frame->width, frame->height,
                                     AV_PIX_FMT_RGB24, SWS_BILINEAR, NULL, NULL, NULL);
        if (reader->sws == NULL) {
            mkt_video_set_message(error, "no conversion from pixel format %s to rgb24",
                                  descriptor != NULL ? descriptor->name : "?");
            return MKT_VIDEO_UNSUPPORTED;
        }
        if (yuv) {
            const int *table = sws_getCoefficients(space);
            sws_setColorspaceDetails(reader->sws, table, full, sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16,
                                     1 << 16);
        }
        reader->sws_width = frame->width;
        reader->sws_height = frame->height;
        reader->sws_format = frame->format;
        reader->sws_space = space;
        reader->sws_range = full;
    }
    if (reader->rgb == NULL || reader->rgb_stride == 0) {
        av_freep(&reader->rgb);
        /* Rows of whole 16-pixel blocks, 64-byte aligned, and one spare row. */
        reader->rgb_stride = FFALIGN(3 * FFALIGN(frame->width, 16), 64);
        reader->rgb = av_malloc((size_t)reader->rgb_stride * (size_t)(frame->height + 1));
        if (reader->rgb == NULL) {
            mkt_video_set_message(error, "out of memory for a %dx%d frame", frame->width, frame->height);
            return MKT_VIDEO_NO_MEMORY;
        }
    }
    uint8_t *planes[4] = {reader->rgb, NULL, NULL, NULL};
    int strides[4] = {reader->rgb_stride, 0, 0, 0};
    int rows = sws_scale(reader->sws, (const uint8_t *const *)frame->data, frame->linesize, 0, frame->height, planes,
                         strides);
    if (rows != frame->height) {
        mkt_video_set_message(error, "frame %lld does not convert to rgb24", (long long)index);
        return MKT_VIDEO_CORRUPT;
    }
    av_image_copy_plane(out, frame->width * 3, reader->rgb, reader->rgb_stride, frame->width * 3, frame->height);
    return MKT_VIDEO_OK;
}

void mkt_video_reader_free(mkt_video_reader *reader) {
    if (reader == NULL) {
        return;
    }
    for (int64_t i = 0; i < reader->count; i++) {
        av_frame_free(&reader->frames[i]);
    }
    free(reader->frames);
    sws_freeContext(reader->sws);
    av_freep(&reader->rgb);
    free(reader);
}
