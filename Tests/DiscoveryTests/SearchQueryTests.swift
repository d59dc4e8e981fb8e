import Discovery
import Testing

@Suite struct SearchQueryTests {
    @Test func wordsPhrasesNegationsAndPrefixes() {
        let q = SearchQuery(#"gaia "data release" -simulated catal*"#)
        #expect(q.required.map(\.tokens) == [["gaia"], ["data", "release"], ["catal"]])
        #expect(q.required.map(\.prefix) == [false, false, true])
        #expect(q.excluded.map(\.tokens) == [["simulated"]])
        #expect(q.matchExpression == #""gaia" AND "data release" AND "catal"*"#)
        #expect(q.exclusionExpression == #""simulated""#)
    }

    @Test func punctuationSplitsLikeTheTokenizer() {
        let q = SearchQuery("gaiadr3.gaia_source J/A+A/123")
        #expect(q.required.map(\.tokens) == [["gaiadr3", "gaia", "source"], ["j", "a", "a", "123"]])
    }

    @Test func serviceWordsBecomeHintsAndFillerIsDropped() {
        let q = SearchQuery("Where can I query Gaia DR3 with TAP?")
        #expect(q.required.map(\.tokens) == [["gaia"], ["dr3"]])
        #expect(q.serviceHints == [.tap])
        let only = SearchQuery("cone")
        #expect(only.required.isEmpty)
        #expect(only.serviceHints == [.scs])
        #expect(!only.isBrowse)
        // Filler alone is still searched for.
        #expect(SearchQuery("the").required.map(\.tokens) == [["the"]])
    }

    @Test func hostileInputNeverEscapesQuoting() {
        for text in [#"""#, #""a" OR "b"#, "NEAR(a b)", "a:b", "*", "-", "--x", "(((", "\u{0}", "^title", "x\"y", "-\"", "ä ö ü ß", "🙂"] {
            let q = SearchQuery(text)
            for expr in [q.matchExpression, q.exclusionExpression].compactMap({ $0 }) {
                // Only quoted runs of letters/digits, AND/OR and '*' after a closing quote.
                let stripped = expr.replacingOccurrences(of: " AND ", with: " ").replacingOccurrences(of: " OR ", with: " ")
                for part in stripped.split(separator: " ", omittingEmptySubsequences: true) {
                    #expect(part.first == "\"" || part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "\"" || $0 == "*" }, "\(text) → \(expr)")
                }
                #expect(!expr.contains(":") && !expr.contains("(") && !expr.contains("^"), "\(text) → \(expr)")
            }
        }
        #expect(SearchQuery("   ").isBrowse)
        #expect(SearchQuery("-foo").isBrowse)  // browse minus the excluded
        #expect(SearchQuery("-foo").exclusionExpression == #""foo""#)
    }

    @Test func requestValidation() throws {
        let r = try SearchRequest(parameters: [("q", " x "), ("servicetype", "TAP"), ("page", "2"), ("pagesize", "5"), ("authority", "ivo://Example-DC.org/tap")])
        #expect(r.q == "x" && r.serviceType == .tap && r.page == 2 && r.pageSize == 5 && r.authority == "example-dc.org")
        for bad in [("servicetype", "ftp"), ("page", "0"), ("page", "x"), ("pagesize", "1000"), ("q", String(repeating: "a", count: 2000))] {
            #expect(throws: DiscoveryError.self) { try SearchRequest(parameters: [bad]) }
        }
    }
}
