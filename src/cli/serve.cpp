#include "cli/serve.hpp"

#include <signal.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <thread>

#include "cli/common.hpp"
#include "redress/live_pack.hpp"
#include "serve/metrics.hpp"
#include "serve/server.hpp"

namespace redress::cli {

namespace {

namespace fs = std::filesystem;

// Names, sizes and modification times of every file the pack reads: changes when any does.
std::string snapshot(const std::vector<std::string>& paths) {
  std::string out;
  auto add = [&](const fs::path& p) {
    std::error_code ec;
    auto size = fs::file_size(p, ec);
    auto time = fs::last_write_time(p, ec);
    out += p.string() + ":" + std::to_string(ec ? 0 : size) + ":" +
           std::to_string(ec ? 0 : time.time_since_epoch().count()) + "\n";
  };
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      for (const auto& entry : fs::directory_iterator(path, ec))
        if (entry.path().extension() == ".yaml") add(entry.path());
    } else {
      add(path);
      add(fs::path(path).parent_path() / "pack.yaml");
    }
  }
  return out;
}

void log_reload(const char* why, const ReloadResult& r) {
  if (r.swapped) {
    std::cerr << "redress serve: reloaded (" << why << "): generation " << r.generation << ", " << r.fingerprint << "\n";
    return;
  }
  std::cerr << "redress serve: reload (" << why << ") failed; generation " << r.generation << " keeps serving:\n";
  for (const auto& d : r.diagnostics) std::cerr << d.to_string() << "\n";
}

}  // namespace

int run_serve(const ServeOptions& options) {
  // Block the signals in every thread (the server's pool inherits the mask); this thread waits
  // for them. A handler is then never run inside a request.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  // A shell starts background jobs with SIGINT ignored, and an ignored signal is dropped before
  // sigtimedwait could see it: take the three back first.
  for (int sig : {SIGHUP, SIGTERM, SIGINT}) signal(sig, SIG_DFL);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  LivePack live(options.paths);  // throws LoadError: nothing to serve
  serve::Metrics metrics;
  serve::ServerOptions so;
  so.host = options.host;
  so.port = options.port;
  so.max_case_bytes = options.max_case_bytes;
  so.max_body_bytes = options.max_body_bytes;
  serve::Server server(live, metrics, so);
  const int port = server.bind();
  if (port < 0) {
    std::cerr << "error: cannot listen on " << options.host << ":" << options.port << ": " << std::strerror(errno) << "\n";
    return kBadInput;
  }
  auto first = live.current();
  std::cout << "redress serve: listening on http://" << options.host << ":" << port << " ("
            << first->pack.playbooks().size() << " playbooks, " << first->pack.fingerprint() << ")" << std::endl;

  std::atomic<bool> ok{true}, ended{false};
  std::thread http([&] {
    ok = server.listen();
    ended = true;
  });

  std::string seen = options.watch ? snapshot(live.sources()) : "";
  auto next_look = std::chrono::steady_clock::now();
  const auto interval = std::chrono::milliseconds(static_cast<long>(options.watch_interval * 1000));
  for (;;) {
    timespec wait{0, 200 * 1000 * 1000};
    const int sig = sigtimedwait(&signals, nullptr, &wait);
    if (sig == SIGTERM || sig == SIGINT) {
      std::cerr << "redress serve: " << (sig == SIGTERM ? "SIGTERM" : "SIGINT")
                << ": finishing the requests in progress\n";
      break;
    }
    if (sig == SIGHUP) {
      // The files as they are before the reload reads them: an edit made while it runs (a slow
      // reload, a quick fix after a broken save) is still a change for --watch to see.
      if (options.watch) seen = snapshot(live.sources());
      ReloadResult r = live.reload();
      metrics.reload(r.swapped);
      log_reload("SIGHUP", r);
    } else if (options.watch && std::chrono::steady_clock::now() >= next_look) {
      next_look = std::chrono::steady_clock::now() + interval;
      std::string now = snapshot(live.sources());
      if (now != seen) {
        seen = now;
        ReloadResult r = live.reload();
        metrics.reload(r.swapped);
        log_reload("files changed", r);
      }
    }
    if (ended) break;  // the server failed on its own
  }
  server.stop();
  http.join();
  std::cerr << "redress serve: stopped\n";
  return ok ? kOk : kBadInput;
}

}  // namespace redress::cli
