{
  # sim is always built; hbdnn and magicmind only where their SDK headers are found
  # (HBDNN_HOME or /usr/include/dnn; NEUWARE_HOME or /usr/local/neuware).
  'variables': {
    'hbdnn_home%': '<!(node detect-sdk.cjs hbdnn)',
    'neuware_home%': '<!(node detect-sdk.cjs magicmind)',
    'fake_sdk%': '<!(node detect-sdk.cjs fake)'
  },
  'targets': [{
    'target_name': 'infergate_native',
    'sources': ['src/addon.cc', 'src/session.cc', 'src/driver.cc', 'src/registry.cc', 'src/sim_backend.cc', 'src/feed.cc'],
    'include_dirs': ["<!(node -p \"require('node-addon-api').include_dir\")"],
    'dependencies': ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
    'cflags_cc': ['-std=c++17', '-O2', '-Wall', '-Wextra', '-Wno-unused-parameter'],
    'cflags_cc!': ['-std=gnu++17', '-std=gnu++20'],
    'defines': ['NAPI_VERSION=8'],
    'libraries': ['-lpthread'],
    'conditions': [
      ['hbdnn_home!=""', {
        'sources': ['src/hbdnn_backend.cc'],
        'defines': ['INFERGATE_HBDNN=1'],
        'include_dirs': ['<(hbdnn_home)/include'],
        'libraries': ['-L<(hbdnn_home)/lib', '-ldnn', '-Wl,-rpath,<(hbdnn_home)/lib']
      }],
      ['neuware_home!=""', {
        'sources': ['src/magicmind_backend.cc'],
        'defines': ['INFERGATE_MAGICMIND=1'],
        'include_dirs': ['<(neuware_home)/include'],
        'libraries': ['-L<(neuware_home)/lib64', '-lmagicmind_runtime', '-lcnrt', '-Wl,-rpath,<(neuware_home)/lib64']
      }],
      ['fake_sdk==1', {
        # Test builds against our fake SDKs expose their call traces; never a production build.
        # They are also where the code must compile warning-free (the fakes are at least as strict
        # as the real headers); production builds stay tolerant of a vendor header's warnings.
        'defines': ['INFERGATE_FAKE_SDK=1'],
        # node-addon-api's own switches would trip -Wswitch-enum: read it as a system header.
        'cflags_cc': ['-Werror', '-Wswitch-enum', '-isystem', "<!(node -p \"require('path').resolve(require('node-addon-api').include_dir)\")"],
        'cflags_cc!': ['-Wno-unused-parameter']
      }]
    ]
  }]
}
