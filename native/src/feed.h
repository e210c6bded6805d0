// The feed-time normalisation loop for the accuracy pipeline (harness/accuracy/feed.ts).
#pragma once
#include <napi.h>

namespace infergate {
Napi::Value FeedThroughLut(const Napi::CallbackInfo& info);
}
