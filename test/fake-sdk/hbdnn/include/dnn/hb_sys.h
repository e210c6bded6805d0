/* TEST DOUBLE: infergate's own declarations of the hb_sys memory calls it uses (see hb_dnn.h). */
#ifndef INFERGATE_FAKE_HB_SYS_H
#define INFERGATE_FAKE_HB_SYS_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  uint64_t phyAddr;
  void *virAddr;
  uint32_t memSize;
} hbSysMem;

#define HB_SYS_MEM_CACHE_INVALIDATE 1
#define HB_SYS_MEM_CACHE_CLEAN 2

int32_t hbSysAllocCachedMem(hbSysMem *mem, uint32_t size);
int32_t hbSysFlushMem(hbSysMem *mem, int32_t flag);
int32_t hbSysFreeMem(hbSysMem *mem);

#ifdef __cplusplus
}
#endif
#endif
