// Prints the SDK root for binding.gyp, or nothing: a vendor backend is compiled only where its
// headers are. Usage: node detect-sdk.cjs hbdnn|magicmind
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const which = process.argv[2];
if (which === 'fake') {
  // 1 only in the test build against our fake SDKs (test/fake-sdk/build.mjs sets it).
  process.stdout.write(process.env.INFERGATE_FAKE_SDK === '1' ? '1' : '0');
  process.exit(0);
}
const candidates = [];
let needs = [];
if (which === 'hbdnn') {
  if (process.env.HBDNN_HOME) candidates.push(process.env.HBDNN_HOME);
  candidates.push('/usr');
  needs = ['include/dnn/hb_dnn.h', 'include/dnn/hb_sys.h'];
} else if (which === 'magicmind') {
  candidates.push(process.env.NEUWARE_HOME || '/usr/local/neuware');
  needs = ['include/mm_runtime.h', 'include/cnrt.h'];
}
const found = candidates.find((root) => needs.every((f) => existsSync(join(root, f))));
process.stdout.write(found ?? '');
