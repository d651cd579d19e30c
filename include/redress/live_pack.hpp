// Hot reload: a pack that serves evaluations from any number of threads while a new version of
// its playbooks is loaded and swapped in (docs/reliability.md, "Hot reload").
//
// Each version is an ordinary immutable Pack. A reload loads the sources again off to the side;
// only when the load succeeds is the new version published, in one atomic pointer swap. An
// evaluation runs entirely on the version it started with, so every Decision comes from exactly
// one version: Decision::version and Decision::fingerprint name the playbook that answered, and
// LivePack::current() pairs a Pack with its generation number. A failed reload leaves the
// serving version in place and returns the diagnostics.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "redress/case.hpp"
#include "redress/decision.hpp"
#include "redress/diagnostic.hpp"
#include "redress/pack.hpp"

namespace redress {

// One published version of a LivePack. Immutable; hold the shared_ptr to evaluate several cases
// (or resolve refs, which belong to this version's Pack) against the same version.
struct LiveVersion {
  Pack pack;
  std::uint64_t generation = 0;  // 1 for the first load, +1 for each successful reload
};

struct ReloadResult {
  bool swapped = false;          // true: the new version serves from now on
  std::uint64_t generation = 0;  // the generation serving after the call
  std::string fingerprint;       // Pack::fingerprint() of the version serving after the call
  // swapped: the new version's warnings. Not swapped: every diagnostic of the failed load
  // (errors and warnings), exactly what LoadError would carry.
  std::vector<Diagnostic> diagnostics;
};

class LivePack {
 public:
  // Loads the first version like Pack::load; throws LoadError when it fails.
  explicit LivePack(const std::string& path, const LoadOptions& options = {});
  explicit LivePack(const std::vector<std::string>& paths, const LoadOptions& options = {});
  ~LivePack();
  LivePack(LivePack&&) noexcept;
  LivePack& operator=(LivePack&&) noexcept;
  LivePack(const LivePack&) = delete;
  LivePack& operator=(const LivePack&) = delete;

  // The version serving now. Safe from any thread; never blocks on a reload in progress.
  std::shared_ptr<const LiveVersion> current() const;
  // current()->pack.evaluate(c, options). Throws EvaluationError.
  Decision evaluate(const Case& c, const EvaluateOptions& options = {}) const;

  // Loads the sources again (same paths, same options). Never throws for a bad playbook: a
  // failed load keeps the old version serving and reports why. Reloads from several threads
  // run one at a time, so generations are published in order.
  ReloadResult reload();
  // The same from other paths (a new release directory, say); later reload()s use them when
  // this one succeeds.
  ReloadResult reload(const std::vector<std::string>& paths);

  // The paths reload() reads.
  std::vector<std::string> sources() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace redress
