/**
 * The fake vendor SDKs are at least as strict as the real headers (layout, const-ness, integer
 * widths, overloads), and the vendor backends compile against them warning-free with
 * -Wall -Wextra -Werror -Wswitch-enum. Each check is a small C++ file given to the compiler.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, tempDir } from '../helpers.js';

const CXX = process.env.CXX ?? 'g++';
const HBDNN = join(ROOT, 'test', 'fake-sdk', 'hbdnn', 'include');
const NEUWARE = join(ROOT, 'test', 'fake-sdk', 'neuware', 'include');
const STRICT = ['-std=c++17', '-Wall', '-Wextra', '-Werror', '-Wswitch-enum', '-fsyntax-only'];
const dir = tempDir();

/** Compiles `source` (syntax and types only); returns the compiler's verdict and words. */
function compile(name: string, source: string, includes: string[]): { ok: boolean; output: string } {
  const file = join(dir, `${name}.cc`);
  writeFileSync(file, source);
  const r = spawnSync(CXX, [...STRICT, ...includes.flatMap((i) => ['-I', i]), file], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

test('hbDNN fake: the status API is in hb_dnn_status.h, enums in hb_sys.h, documented signatures', () => {
  const r = compile(
    'hbdnn-layout',
    `#include <type_traits>
#include <dnn/hb_dnn.h>
#include <dnn/hb_dnn_status.h>
#if defined(HB_BPU_CORE_ANY) || defined(HB_SYS_MEM_CACHE_CLEAN) || defined(HB_SYS_MEM_CACHE_INVALIDATE)
#error core and cache-flush names must be enumerators, not macros
#endif
static_assert(std::is_enum<hbBPUCore>::value && HB_BPU_CORE_ANY == 0 && HB_BPU_CORE_0 == 1 && HB_BPU_CORE_1 == 2, "hbBPUCore");
static_assert(std::is_enum<hbSysMemFlushFlag>::value && HB_SYS_MEM_CACHE_INVALIDATE == 1 && HB_SYS_MEM_CACHE_CLEAN == 2, "hbSysMemFlushFlag, as rdk_doc data_struct.md gives it");
static_assert(HB_DNN_TENSOR_TYPE_F64 == 16 && HB_DNN_TENSOR_TYPE_S64 == 17 && HB_DNN_TENSOR_TYPE_U64 == 18 && HB_DNN_TENSOR_TYPE_MAX == 19, "the full hbDNNDataType list");
static_assert(std::is_same<decltype(&hbDNNInfer), int32_t (*)(hbDNNTaskHandle_t*, hbDNNTensor**, hbDNNTensor const*, hbDNNHandle_t, hbDNNInferCtrlParam*)>::value, "hbDNNInfer");
static_assert(std::is_same<decltype(&hbDNNGetModelNameList), int32_t (*)(char const***, int32_t*, hbPackedDNNHandle_t)>::value, "hbDNNGetModelNameList");
static_assert(std::is_same<decltype(&hbDNNGetErrorDesc), char const* (*)(int32_t)>::value, "hbDNNGetErrorDesc");
static_assert(HB_DNN_TIMEOUT == -6000008 && HB_DNN_TASK_NUM_EXCEED_LIMIT == -6000009, "documented status codes");
int main() { return 0; }
`,
    [HBDNN],
  );
  assert.ok(r.ok, r.output);
});

test('hbDNN fake: hb_dnn.h alone does not declare hbDNNGetErrorDesc (it includes only hb_sys.h)', () => {
  const r = compile('hbdnn-no-status', `#include <dnn/hb_dnn.h>\nconst char* f() { return hbDNNGetErrorDesc(0); }\n`, [HBDNN]);
  assert.not.ok(r.ok, 'hbDNNGetErrorDesc must need dnn/hb_dnn_status.h');
  assert.match(r.output, /hbDNNGetErrorDesc/);
  const sys = compile('hbdnn-sys-alone', `#include <dnn/hb_sys.h>\nhbBPUCore c = HB_BPU_CORE_1;\nhbSysMemFlushFlag f = HB_SYS_MEM_CACHE_CLEAN;\n`, [HBDNN]);
  assert.ok(sys.ok, sys.output);
});

test('MagicMind fake: both Enqueue overloads, a wider DataType, GetSize() that is not size_t', () => {
  const ok = compile(
    'mm-layout',
    `#include <type_traits>
#include <mm_runtime.h>
using namespace magicmind;
using Tensors = std::vector<IRTTensor*>;
static_assert(std::is_same<decltype(static_cast<Status (IContext::*)(const Tensors&, const Tensors&, void*)>(&IContext::Enqueue)), Status (IContext::*)(const Tensors&, const Tensors&, void*)>::value, "const-ref Enqueue");
static_assert(std::is_same<decltype(static_cast<Status (IContext::*)(const Tensors&, Tensors*, void*)>(&IContext::Enqueue)), Status (IContext::*)(const Tensors&, Tensors*, void*)>::value, "pointer Enqueue");
static_assert(!std::is_same<decltype(std::declval<IRTTensor&>().GetSize()), size_t>::value, "GetSize is not size_t");
DataType more[] = {DataType::INT16, DataType::QINT8, DataType::INT4, DataType::UINT4};
void cfg(IModel::EngineConfig& c) { c.SetConstDataInit(true); }
`,
    [NEUWARE],
  );
  assert.ok(ok.ok, ok.output);
  // What the old backend did with GetSize(): an implicit narrowing that the strict build rejects.
  const narrowing = compile('mm-narrowing', `#include <mm_runtime.h>\n#include <cstddef>\nstruct D { std::size_t bytes; };\nD f(magicmind::IRTTensor* t) { return D{t->GetSize()}; }\n`, [NEUWARE]);
  assert.not.ok(narrowing.ok, 'brace-initialising a size_t from GetSize() must not compile');
});

test('the vendor backends compile against the fakes with -Wall -Wextra -Werror -Wswitch-enum', () => {
  for (const [file, includes] of [
    ['hbdnn_backend.cc', [HBDNN]],
    ['magicmind_backend.cc', [NEUWARE]],
  ] as const) {
    const r = spawnSync(CXX, [...STRICT, '-DINFERGATE_FAKE_SDK=1', ...includes.flatMap((i) => ['-I', i]), join(ROOT, 'native', 'src', file)], { encoding: 'utf8' });
    assert.is(r.status, 0, `${file}:\n${r.stdout}${r.stderr}`);
  }
});

test.run();
