// canonical/raft's C header, included from C++. Its instance type is `struct raft`,
// which in C++ would clash with raftsim's namespace raft: here it is `canonical_raft`.
// The header has no extern "C" of its own.
#pragma once

#define raft canonical_raft
extern "C" {
#include <raft.h>
}
#undef raft
