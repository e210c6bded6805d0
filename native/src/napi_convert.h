// Conversions between JS values and the backend interface's types, shared by addon.cc and
// session.cc.
#pragma once
#include <napi.h>

#include <string>

#include "backend.h"

namespace infergate {

inline Options toOptions(const Napi::Value& v) {
  Options o;
  if (!v.IsObject()) return o;
  Napi::Object obj = v.As<Napi::Object>();
  Napi::Array keys = obj.GetPropertyNames();
  for (uint32_t i = 0; i < keys.Length(); ++i) {
    std::string k = keys.Get(i).ToString();
    o[k] = obj.Get(k).ToString();
  }
  return o;
}

inline Napi::Object describe(Napi::Env env, const TensorDesc& d) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("name", d.name);
  o.Set("dtype", dtypeName(d.dtype));
  Napi::Array dims = Napi::Array::New(env, d.dims.size());
  for (size_t i = 0; i < d.dims.size(); ++i) dims.Set(static_cast<uint32_t>(i), Napi::Number::New(env, static_cast<double>(d.dims[i])));
  o.Set("dims", dims);
  o.Set("bytes", Napi::Number::New(env, static_cast<double>(d.bytes)));
  o.Set("layout", d.layout);
  o.Set("mutableBatch", d.mutableBatch);
  return o;
}

}  // namespace infergate
