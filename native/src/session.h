// NativeSession: single infer() calls on a backend's session, for the accuracy pipeline.
#pragma once
#include <napi.h>

namespace infergate {

// The NativeSession class, for the module's exports.
Napi::Function NativeSessionClass(Napi::Env env);

}  // namespace infergate
