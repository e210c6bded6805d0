/*
 * TEST DOUBLE, infergate's own declarations (never Horizon's header, which is confidential).
 * Mirrors the public layout described in D-Robotics rdk_doc (02_cdev_dnn_api/data_struct.md):
 * memory, core and cache-flush types live here, in hb_sys.h, as enums; hb_dnn.h includes this.
 */
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

/* Which BPU core runs a task (hbDNNInferCtrlParam::bpuCoreId): a bit per core, 0 for any. */
typedef enum { HB_BPU_CORE_ANY = 0, HB_BPU_CORE_0 = 1, HB_BPU_CORE_1 = 2 } hbBPUCore;
typedef enum { HB_DSP_CORE_ANY = 0, HB_DSP_CORE_0 = 1, HB_DSP_CORE_1 = 2 } hbDSPCore;

/*
 * Cache maintenance. The values are the ones rdk_doc data_struct.md publishes for
 * hbSysMemFlushFlag (INVALIDATE 1 before a CPU read, CLEAN 2 after a CPU write); callers use
 * the names only, and a test pins the values to the document.
 */
typedef enum { HB_SYS_MEM_CACHE_INVALIDATE = 1, HB_SYS_MEM_CACHE_CLEAN = 2 } hbSysMemFlushFlag;

int32_t hbSysAllocCachedMem(hbSysMem *mem, uint32_t size);
int32_t hbSysFlushMem(hbSysMem *mem, int32_t flag);
int32_t hbSysFreeMem(hbSysMem *mem);

#ifdef __cplusplus
}
#endif
#endif
