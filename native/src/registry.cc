#include <cstdlib>
#include <sstream>

#include "backend.h"

namespace infergate {

std::shared_ptr<Backend> makeSimBackend();
#ifdef INFERGATE_HBDNN
std::shared_ptr<Backend> makeHbdnnBackend();
#endif
#ifdef INFERGATE_MAGICMIND
std::shared_ptr<Backend> makeMagicMindBackend();
#endif

const char* dtypeName(DType t) {
  switch (t) {
    case DType::F32: return "float32";
    case DType::F16: return "float16";
    case DType::U8: return "uint8";
    case DType::S8: return "int8";
    case DType::S16: return "int16";
    case DType::S32: return "int32";
  }
  return "unknown";
}

size_t dtypeSize(DType t) {
  switch (t) {
    case DType::F32: case DType::S32: return 4;
    case DType::F16: case DType::S16: return 2;
    case DType::U8: case DType::S8: return 1;
  }
  return 1;
}

std::vector<std::string> compiledBackends() {
  std::vector<std::string> ids{"sim"};
#ifdef INFERGATE_HBDNN
  ids.push_back("hbdnn");
#endif
#ifdef INFERGATE_MAGICMIND
  ids.push_back("magicmind");
#endif
  return ids;
}

std::shared_ptr<Backend> backendFor(const std::string& id) {
  if (id == "sim") return makeSimBackend();
#ifdef INFERGATE_HBDNN
  if (id == "hbdnn") return makeHbdnnBackend();
#endif
#ifdef INFERGATE_MAGICMIND
  if (id == "magicmind") return makeMagicMindBackend();
#endif
  throw BackendError("backend '" + id + "' is not compiled into this build of the native addon");
}

std::string optionString(const Options& o, const std::string& key, const std::string& fallback) {
  auto it = o.find(key);
  return it == o.end() ? fallback : it->second;
}

double optionNumber(const Options& o, const std::string& key, double fallback) {
  auto it = o.find(key);
  if (it == o.end() || it->second.empty()) return fallback;
  char* end = nullptr;
  double v = std::strtod(it->second.c_str(), &end);
  if (end == it->second.c_str() || *end != '\0') throw BackendError("option '" + key + "' is not a number: '" + it->second + "'");
  return v;
}

std::vector<int64_t> optionDims(const Options& o, const std::string& key, const std::vector<int64_t>& fallback) {
  auto it = o.find(key);
  if (it == o.end() || it->second.empty()) return fallback;
  std::vector<int64_t> dims;
  std::stringstream ss(it->second);
  std::string part;
  while (std::getline(ss, part, ',')) {
    char* end = nullptr;
    long long v = std::strtoll(part.c_str(), &end, 10);
    if (end == part.c_str() || v <= 0) throw BackendError("option '" + key + "' must be positive integers separated by commas: '" + it->second + "'");
    dims.push_back(v);
  }
  return dims;
}

}  // namespace infergate
