// Building the compiled model: what is computed from the playbooks once the loader has read them
// all — fingerprints, the read-only summaries (PlaybookInfo), the views of default values into
// their final storage, and the triage order.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compile/compiled.hpp"

namespace redress::compile {

// "sha256:…" of a playbook's file text, then (when its directory has one) its pack.yaml's text.
std::string playbook_fingerprint(std::string_view text, const std::string_view* pack_text);

// Finishes a pack whose playbooks will no longer move in memory: fills each PlaybookInfo,
// points default values at their storage, orders the playbooks for triage (priority, higher
// first, then id) and fingerprints the pack.
void finish_pack(detail::CompiledPack& pack, std::vector<std::string> sources);

}  // namespace redress::compile
