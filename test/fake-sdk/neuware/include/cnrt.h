/*
 * TEST DOUBLE. infergate's own minimal declarations of the CNRT calls its MagicMind backend
 * uses, written from the public magicmind_cloud samples. Not Cambricon's header; a lab machine
 * compiles against $NEUWARE_HOME/include. Never part of a production build.
 */
#ifndef INFERGATE_FAKE_CNRT_H
#define INFERGATE_FAKE_CNRT_H
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { cnrtSuccess = 0, cnrtErrorNoDevice = 100, cnrtErrorNoMem = 2, cnrtErrorArgsInvalid = 632 } cnrtRet_t;
typedef struct FakeCnrtQueue *cnrtQueue_t;
typedef struct FakeCnrtNotifier *cnrtNotifier_t;
typedef enum { cnrtMemcpyHostToDev = 1, cnrtMemcpyDevToHost = 2 } cnrtMemTransDir_t;

cnrtRet_t cnrtSetDevice(int device);
cnrtRet_t cnrtQueueCreate(cnrtQueue_t *queue);
cnrtRet_t cnrtQueueDestroy(cnrtQueue_t queue);
cnrtRet_t cnrtQueueSync(cnrtQueue_t queue);
cnrtRet_t cnrtMalloc(void **ptr, size_t bytes);
cnrtRet_t cnrtFree(void *ptr);
cnrtRet_t cnrtMemcpy(void *dst, void *src, size_t bytes, cnrtMemTransDir_t dir);
cnrtRet_t cnrtNotifierCreate(cnrtNotifier_t *notifier);
cnrtRet_t cnrtNotifierDestroy(cnrtNotifier_t notifier);
cnrtRet_t cnrtPlaceNotifier(cnrtNotifier_t notifier, cnrtQueue_t queue);
cnrtRet_t cnrtNotifierDuration(cnrtNotifier_t start, cnrtNotifier_t end, float *us);
cnrtRet_t cnrtGetLibVersion(int *major, int *minor, int *patch);
cnrtRet_t cnrtDriverGetVersion(int *major, int *minor, int *patch);
const char *cnrtGetErrorStr(cnrtRet_t ret);

#ifdef __cplusplus
}
#endif
#endif
