// The fake libdnn's models (fake_hbdnn.cc is its API): what a packed handle holds, the tensor
// properties each model reports and the scores its "network" writes. TEST DOUBLE.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>

#include "dnn/hb_dnn.h"

namespace fakehb {

// The model a packed handle holds: the built one (from a fake hb_mapper artifact) or a fixed fake.
struct Model {
  std::string name;
  int32_t n = 1, h = 224, w = 224, pitch = 224;
  bool built = false, aligned = false;
};

bool knob(const char* name);
std::string env(const char* name, const char* fallback);
Model loadModel(const char* file);
const Model& modelOf(const void* handle);
bool sameShape(const hbDNNTensorShape& a, const hbDNNTensorShape& b);
// The quantisation tables every model's output refers to, set at load.
void initQuantisation();
void modelInput(hbDNNTensorProperties* p, const Model& m);
void modelOutput(hbDNNTensorProperties* p, const Model& m);
// The "network": reads the input's NV12 memory (rows `pitch` bytes apart) and writes the output
// tensor's memory in the format modelOutput reports.
void writeScores(const Model& m, const uint8_t* y, int32_t h, int32_t w, int32_t pitch, void* out);

}  // namespace fakehb
