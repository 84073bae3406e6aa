#ifndef MKT_CODECS_H
#define MKT_CODECS_H
#endif
