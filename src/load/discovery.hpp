// Which files make a pack: the playbooks and NAME.test.yaml files of the given files and
// directories (spec §1), each playbook with its directory (whose pack.yaml it inherits).
#pragma once

#include <string>
#include <vector>

#include "redress/diagnostic.hpp"

namespace redress::load {

struct PlaybookFile {
  std::string path;  // as it will be shown in diagnostics
  std::string dir;   // the directory whose pack.yaml applies
};

struct TestFile {
  std::string stem;  // NAME of NAME.test.yaml: the playbook file it belongs to ("pack": the
                     // compound tests of the directory, pack.test.yaml)
  std::string path;
};

struct Discovered {
  std::vector<PlaybookFile> playbooks;  // in the order given, a directory's files sorted
  std::vector<TestFile> tests;
};

// Lists the files; a path that is neither a file nor a directory is a diagnostic. A file named
// twice (or a test file and its playbook) appears once.
Discovered discover(const std::vector<std::string>& paths, std::vector<Diagnostic>& diags);

}  // namespace redress::load
