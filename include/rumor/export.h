/* SPDX-License-Identifier: MIT */
/*
 * RUMOR_API marks the functions librumor.so exports. Everything else in the
 * library is compiled with -fvisibility=hidden and stays internal, so a
 * symbol only becomes part of the ABI by being marked here and listed in
 * tests/lib/exported-symbols.txt (the test lib_exported_symbols compares).
 */
#ifndef RUMOR_EXPORT_H
#define RUMOR_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define RUMOR_API __attribute__((visibility("default")))
#else
#define RUMOR_API
#endif

#endif
