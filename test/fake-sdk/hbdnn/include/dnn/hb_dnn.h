/*
 * TEST DOUBLE. infergate's own minimal declarations of the hbDNN calls its backend uses, written
 * from the public documentation and samples (D-Robotics rdk_doc 02_cdev_dnn_api, rdk_model_zoo).
 * NOT Horizon's header (confidential, never vendored); a board compiles against
 * /usr/include/dnn. It is as strict as the real layout: it includes only hb_sys.h (the status
 * API is in hb_dnn_status.h), and const-ness and integer widths follow the documentation.
 * Never part of a production build.
 */
#ifndef INFERGATE_FAKE_HB_DNN_H
#define INFERGATE_FAKE_HB_DNN_H
#include <stdint.h>
#include "hb_sys.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void *hbPackedDNNHandle_t;
typedef void *hbDNNHandle_t;
typedef void *hbDNNTaskHandle_t;

#define HB_DNN_TENSOR_MAX_DIMENSIONS 8

/* Every documented tensor type, in the documented order (the values are positions). */
typedef enum {
  HB_DNN_IMG_TYPE_Y,
  HB_DNN_IMG_TYPE_NV12,
  HB_DNN_IMG_TYPE_NV12_SEPARATE,
  HB_DNN_IMG_TYPE_YUV444,
  HB_DNN_IMG_TYPE_RGB,
  HB_DNN_IMG_TYPE_BGR,
  HB_DNN_TENSOR_TYPE_S4,
  HB_DNN_TENSOR_TYPE_U4,
  HB_DNN_TENSOR_TYPE_S8,
  HB_DNN_TENSOR_TYPE_U8,
  HB_DNN_TENSOR_TYPE_F16,
  HB_DNN_TENSOR_TYPE_S16,
  HB_DNN_TENSOR_TYPE_U16,
  HB_DNN_TENSOR_TYPE_F32,
  HB_DNN_TENSOR_TYPE_S32,
  HB_DNN_TENSOR_TYPE_U32,
  HB_DNN_TENSOR_TYPE_F64,
  HB_DNN_TENSOR_TYPE_S64,
  HB_DNN_TENSOR_TYPE_U64,
  HB_DNN_TENSOR_TYPE_MAX
} hbDNNDataType;

typedef enum { HB_DNN_LAYOUT_NHWC = 0, HB_DNN_LAYOUT_NCHW = 2, HB_DNN_LAYOUT_NONE = 255 } hbDNNTensorLayout;

typedef enum { NONE, SHIFT, SCALE } hbDNNQuantiType;

typedef enum { HB_DNN_PRIORITY_LOWEST = 0, HB_DNN_PRIORITY_HIGHEST = 255 } hbDNNTaskPriority;

typedef struct {
  int32_t dimensionSize[HB_DNN_TENSOR_MAX_DIMENSIONS];
  int32_t numDimensions;
} hbDNNTensorShape;

typedef struct {
  int32_t shiftLen;
  uint8_t *shiftData;
} hbDNNQuantiShift;

typedef struct {
  int32_t scaleLen;
  float *scaleData;
  int32_t zeroPointLen;
  int8_t *zeroPointData;
} hbDNNQuantiScale;

/*
 * validShape is the data; memory follows alignedShape (stride[] holds the byte step of each
 * validShape dimension; NV12 inputs report 0 there and only pad W). A caller may set an input's
 * alignedShape to validShape and hand over compact data: the library pads it.
 */
typedef struct {
  hbDNNTensorShape validShape;
  hbDNNTensorShape alignedShape;
  int32_t tensorLayout;
  int32_t tensorType;
  hbDNNQuantiShift shift;
  hbDNNQuantiScale scale;
  hbDNNQuantiType quantiType;
  int32_t quantizeAxis;
  int32_t alignedByteSize;
  int32_t stride[HB_DNN_TENSOR_MAX_DIMENSIONS];
} hbDNNTensorProperties;

typedef struct {
  hbSysMem sysMem[4];
  hbDNNTensorProperties properties;
} hbDNNTensor;

typedef struct {
  int32_t bpuCoreId;
  int32_t dspCoreId;
  int32_t priority;
  int32_t more;
  int64_t customId;
  int32_t reserved1;
  int32_t reserved2;
} hbDNNInferCtrlParam;

/* Field layouts change between libdnn versions: callers initialise through this macro only. */
#define HB_DNN_INITIALIZE_INFER_CTRL_PARAM(param) \
  do {                                            \
    (param)->bpuCoreId = HB_BPU_CORE_ANY;         \
    (param)->dspCoreId = HB_DSP_CORE_ANY;         \
    (param)->priority = HB_DNN_PRIORITY_LOWEST;   \
    (param)->more = 0;                            \
    (param)->customId = 0;                        \
    (param)->reserved1 = 0;                       \
    (param)->reserved2 = 0;                       \
  } while (0)

char const *hbDNNGetVersion(void);
int32_t hbDNNInitializeFromFiles(hbPackedDNNHandle_t *packedDNNHandle, char const **modelFileNames, int32_t modelFileCount);
int32_t hbDNNGetModelNameList(char const ***modelNameList, int32_t *modelNameCount, hbPackedDNNHandle_t packedDNNHandle);
int32_t hbDNNGetModelHandle(hbDNNHandle_t *dnnHandle, hbPackedDNNHandle_t packedDNNHandle, char const *modelName);
int32_t hbDNNGetInputCount(int32_t *inputCount, hbDNNHandle_t dnnHandle);
int32_t hbDNNGetOutputCount(int32_t *outputCount, hbDNNHandle_t dnnHandle);
int32_t hbDNNGetInputTensorProperties(hbDNNTensorProperties *properties, hbDNNHandle_t dnnHandle, int32_t inputIndex);
int32_t hbDNNGetOutputTensorProperties(hbDNNTensorProperties *properties, hbDNNHandle_t dnnHandle, int32_t outputIndex);
int32_t hbDNNInfer(hbDNNTaskHandle_t *taskHandle, hbDNNTensor **output, hbDNNTensor const *input, hbDNNHandle_t dnnHandle,
                   hbDNNInferCtrlParam *inferCtrlParam);
int32_t hbDNNWaitTaskDone(hbDNNTaskHandle_t taskHandle, int32_t timeout);
int32_t hbDNNReleaseTask(hbDNNTaskHandle_t taskHandle);
int32_t hbDNNRelease(hbPackedDNNHandle_t packedDNNHandle);

#ifdef __cplusplus
}
#endif
#endif
