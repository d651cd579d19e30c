// LivePack: versions published through one shared_ptr, read and replaced with the C++17 atomic
// shared_ptr functions (std::atomic<std::shared_ptr> is C++20). Readers copy the pointer and
// evaluate without any lock of ours; reloads are serialized by a mutex so that generations are
// published in order and a slow, older load can never replace a newer version.
#include "redress/live_pack.hpp"

#include <atomic>
#include <mutex>
#include <utility>

namespace redress {

struct LivePack::Impl {
  std::shared_ptr<const LiveVersion> serving;  // accessed only through std::atomic_load/store
  std::mutex reloading;                        // held for a whole reload; guards paths
  std::vector<std::string> paths;
  LoadOptions options;
};

LivePack::LivePack(const std::string& path, const LoadOptions& options)
    : LivePack(std::vector<std::string>{path}, options) {}

LivePack::LivePack(const std::vector<std::string>& paths, const LoadOptions& options)
    : impl_(std::make_unique<Impl>()) {
  impl_->paths = paths;
  impl_->options = options;
  impl_->serving = std::make_shared<const LiveVersion>(LiveVersion{Pack::load(paths, options), 1});
}

LivePack::~LivePack() = default;
LivePack::LivePack(LivePack&&) noexcept = default;
LivePack& LivePack::operator=(LivePack&&) noexcept = default;

std::shared_ptr<const LiveVersion> LivePack::current() const {
  return std::atomic_load(&impl_->serving);
}

Decision LivePack::evaluate(const Case& c, const EvaluateOptions& options) const {
  return current()->pack.evaluate(c, options);
}

namespace {
// Loads `paths` and, when the load succeeds, publishes the result. The caller holds
// Impl::reloading.
ReloadResult load_and_publish(std::shared_ptr<const LiveVersion>& serving,
                              const std::vector<std::string>& paths, const LoadOptions& options) {
  ReloadResult result;
  std::shared_ptr<const LiveVersion> old = std::atomic_load(&serving);
  try {
    Pack pack = Pack::load(paths, options);
    result.diagnostics = pack.warnings();
    auto next = std::make_shared<const LiveVersion>(LiveVersion{std::move(pack), old->generation + 1});
    std::atomic_store(&serving, next);
    result.swapped = true;
    result.generation = next->generation;
    result.fingerprint = next->pack.fingerprint();
  } catch (const LoadError& e) {
    result.diagnostics = e.diagnostics();
    result.generation = old->generation;
    result.fingerprint = old->pack.fingerprint();
  }
  return result;
}
}  // namespace

ReloadResult LivePack::reload() {
  std::lock_guard<std::mutex> lock(impl_->reloading);
  return load_and_publish(impl_->serving, impl_->paths, impl_->options);
}

ReloadResult LivePack::reload(const std::vector<std::string>& paths) {
  std::lock_guard<std::mutex> lock(impl_->reloading);
  ReloadResult result = load_and_publish(impl_->serving, paths, impl_->options);
  if (result.swapped) impl_->paths = paths;
  return result;
}

std::vector<std::string> LivePack::sources() const {
  std::lock_guard<std::mutex> lock(impl_->reloading);
  return impl_->paths;
}

}  // namespace redress
