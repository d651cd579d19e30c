// `redress serve [PATH...] [--host H] [--port N] [--watch]`: an HTTP server over a LivePack
// (docs/openapi.yaml). SIGHUP (or, with --watch, a change to a playbook file) reloads the pack
// while the old version keeps serving; SIGTERM and SIGINT stop it after the requests in progress.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace redress::cli {

struct ServeOptions {
  std::vector<std::string> paths;           // playbook files or pack directories
  std::string host = "127.0.0.1";           // loopback unless told otherwise
  int port = 8080;                          // 0: any free port, printed on stdout
  bool watch = false;                       // reload when a file of the pack changes
  double watch_interval = 1.0;              // seconds between looks at the files
  std::size_t max_case_bytes = 4u << 20;    // one case
  std::size_t max_body_bytes = 64u << 20;   // one request (bulk bodies)
};

// Throws LoadError when the first load fails. Returns when stopped by a signal.
int run_serve(const ServeOptions& options);

}  // namespace redress::cli
