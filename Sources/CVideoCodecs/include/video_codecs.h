/*
 * CVideoCodecs: a small C shim over FFmpeg's libavformat, libavcodec and libswscale.
 *
 * Reading: a video file is demuxed and decoded in full (every frame of its first video stream,
 * in presentation order, i.e. the decoder's output order), the decoded frames are kept in their
 * own pixel format, and any frame is converted to 8-bit RGB ([H, W, 3], interleaved) on request,
 * the way PyAV's `frame.to_ndarray(format="rgb24")` does: swscale, bilinear flags, the frame's
 * colour space (BT.601 when unspecified) and range.
 *
 * Every failure (unknown container, no video stream, unknown codec, damaged or cut data, a
 * decoding error in any frame, no frames at all, too many pixels) becomes a status code and a
 * one-line message; FFmpeg's own log is silenced. Only the `file` protocol is allowed.
 *
 * Writing: RGB frames are converted and encoded into a container (MP4/H.264, WebM/VP9,
 * AVI/MJPEG, Matroska/FFV1, Matroska/H.264 RGB lossless, MP4/MPEG-4 part 2).
 */
#ifndef MKT_VIDEO_CODECS_H
#define MKT_VIDEO_CODECS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Result of a video call. */
typedef enum {
    MKT_VIDEO_OK = 0,
    /** The file cannot be opened or read (missing, permissions, a directory). */
    MKT_VIDEO_UNREADABLE = 1,
    /** Not a container FFmpeg reads, no video stream, or a codec without a decoder (encoder). */
    MKT_VIDEO_UNSUPPORTED = 2,
    /** The data is damaged (bad header, a packet or frame that does not decode). */
    MKT_VIDEO_CORRUPT = 3,
    /** The data ends before the last frame the container announces. */
    MKT_VIDEO_TRUNCATED = 4,
    /** The file decodes to zero frames. */
    MKT_VIDEO_NO_FRAMES = 5,
    /** A frame exceeds the pixel limit, or all frames exceed the memory limit. */
    MKT_VIDEO_TOO_LARGE = 6,
    /** Memory could not be allocated. */
    MKT_VIDEO_NO_MEMORY = 7,
    /** Invalid arguments (an index out of range, a buffer too small, an odd size for 4:2:0). */
    MKT_VIDEO_INVALID_ARGUMENT = 8,
    /** Encoding or writing failed. */
    MKT_VIDEO_ENCODING = 9
} mkt_video_status;

/** The message of the last failure, one line. */
typedef struct {
    char message[240];
} mkt_video_error;

/** A fully decoded video: its frames in presentation order, in the decoder's pixel format. */
typedef struct mkt_video_reader mkt_video_reader;

/**
 * Decodes every frame of the first video stream of the file at `path`.
 *
 * @param max_pixels  Largest width x height of a frame (0: no limit).
 * @param max_bytes   Largest total size of the decoded frames in bytes (0: no limit).
 * @param out         Receives the reader on success (free with `mkt_video_reader_free`).
 */
int32_t mkt_video_decode_file(const char *path, uint64_t max_pixels, uint64_t max_bytes,
                              mkt_video_reader **out, mkt_video_error *error);

/** The number of decoded frames (at least 1). */
int64_t mkt_video_frame_count(const mkt_video_reader *reader);

/** The size of frame `index`. */
int32_t mkt_video_frame_size(const mkt_video_reader *reader, int64_t index, int32_t *width,
                             int32_t *height);

/** The name of the decoder ("h264", "vp9", ...). */
const char *mkt_video_codec_name(const mkt_video_reader *reader);

/** Frames per second of the stream as num/den (0/1 when unknown). */
void mkt_video_frame_rate(const mkt_video_reader *reader, int32_t *num, int32_t *den);

/** Converts frame `index` to RGB24, [H, W, 3], into `out` (at least width x height x 3 bytes). */
int32_t mkt_video_frame_rgb(mkt_video_reader *reader, int64_t index, uint8_t *out, size_t capacity,
                            mkt_video_error *error);

/** Releases the reader and its frames. NULL is allowed. */
void mkt_video_reader_free(mkt_video_reader *reader);

/** The encodings a writer can produce. */
typedef enum {
    /** H.264 (libx264, else FFmpeg's MPEG-4 part 2), YUV 4:2:0, in MP4. */
    MKT_VIDEO_CODEC_H264 = 0,
    /** VP9 (libvpx), YUV 4:2:0, in WebM. */
    MKT_VIDEO_CODEC_VP9 = 1,
    /** Motion JPEG, full-range YUV 4:2:0, in AVI. */
    MKT_VIDEO_CODEC_MJPEG = 2,
    /** FFV1, lossless RGB (bgr0), in Matroska. */
    MKT_VIDEO_CODEC_FFV1 = 3,
    /** H.264 RGB (libx264rgb, quantiser 0): lossless, in Matroska. */
    MKT_VIDEO_CODEC_H264_RGB = 4
} mkt_video_codec;

/** An open output file being written. */
typedef struct mkt_video_writer mkt_video_writer;

/** Whether this FFmpeg build has an encoder for `codec` (1) or not (0). */
int32_t mkt_video_codec_available(int32_t codec);

/**
 * Creates the file at `path` and prepares `codec` for width x height RGB frames at fps_num/fps_den
 * frames per second. `quality` is the codec's constant-quality setting (x264/VP9 CRF, MJPEG
 * quantiser; ignored by the lossless codecs); negative means the codec's default.
 */
int32_t mkt_video_writer_open(const char *path, int32_t codec, int32_t width, int32_t height,
                              int32_t fps_num, int32_t fps_den, int32_t quality,
                              mkt_video_writer **out, mkt_video_error *error);

/** Encodes one RGB24 frame ([H, W, 3], the writer's size). */
int32_t mkt_video_writer_add(mkt_video_writer *writer, const uint8_t *rgb, mkt_video_error *error);

/** Flushes the encoder, writes the trailer and closes the file; frees the writer either way. */
int32_t mkt_video_writer_finish(mkt_video_writer *writer, mkt_video_error *error);

/** Frees a writer without finishing the file (the caller removes it). NULL is allowed. */
void mkt_video_writer_free(mkt_video_writer *writer);

#ifdef __cplusplus
}
#endif

#endif
