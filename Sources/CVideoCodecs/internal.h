/* Helpers shared by the reader and the writer of the shim (not part of the public header). */
#ifndef MKT_VIDEO_INTERNAL_H
#define MKT_VIDEO_INTERNAL_H

#include <stddef.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
#include "video_codecs.h"

/* Silences FFmpeg's log once per process (every failure is reported through a status). */
void mkt_video_silence_ffmpeg(void);

/* Writes a one-line message (printf-style) into `error`; newlines become spaces. */
void mkt_video_set_message(mkt_video_error *error, const char *format, ...);

/* FFmpeg's text for an error code, in `buffer`. */
const char *mkt_video_describe(int code, char *buffer, size_t size);

/* "file:" + path (malloc'd), so that no other protocol can be reached. */
char *mkt_video_file_url(const char *path);

#endif
