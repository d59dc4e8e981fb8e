#ifndef VOREGISTRY_CLIBXML2_SHIM_H
#define VOREGISTRY_CLIBXML2_SHIM_H

// xmlversion.h first, then switch off ICU: Debian's headers would otherwise pull in the
// system ICU, whose UErrorCode clashes with Foundation's copy in a clean build.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlschemas.h>
#include <libxml/catalog.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlreader.h>
#include <libxml/entities.h>

/// Frees memory that libxml2 allocated (xmlFree is a global function pointer, not callable from Swift).
static inline void voreg_xmlFree(void *p) { xmlFree(p); }

/// The parse options every untrusted document gets: no network, no DTD loading, no entity
/// substitution, and the built-in size and depth limits left on (XML_PARSE_HUGE is never set).
static inline int voreg_safeParseOptions(void) {
    return XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
}

#endif
