// Where the data shipped with redress lives: the bundled pack of playbooks and the JSON Schemas
// of playbooks, packs and tests (installed under share/redress/ by `cmake --install`).
#pragma once

#include <string>

namespace redress {

// The directory of the bundled pack (playbooks/ with its pack.yaml). Looked for, in order:
//   1. $REDRESS_DATA_DIR/playbooks — when REDRESS_DATA_DIR is set, only there (an install that
//      was moved, or a pack of one's own laid out the same way);
//   2. share/redress/playbooks beside the running program's bin/ (the installed `redress`);
//   3. the install prefix compiled in (CMAKE_INSTALL_PREFIX at configure time);
//   4. the source tree the library was built from (a build that was never installed).
// Throws std::runtime_error naming every place it looked when none has the pack.
std::string bundled_pack_path();

// The directory of playbook.schema.json, pack.schema.json, playbook-tests.schema.json,
// pack-tests.schema.json, case.schema.json and decision.schema.json, looked for in the same
// places (share/redress/schemas; docs/ in the source tree).
std::string schema_dir();

}  // namespace redress
