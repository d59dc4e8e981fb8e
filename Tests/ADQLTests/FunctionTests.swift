import Testing

@testable import ADQL

/// The RegTAP UDFs' Swift semantics.
@Suite struct FunctionTests {
    @Test func wordsNotSubstrings() {
        #expect(ADQLFunctions.hasWord("A catalogue of quasars", "catalogue"))
        #expect(!ADQLFunctions.hasWord("A catalogue of quasars", "quasar"))
        #expect(!ADQLFunctions.hasWord("skyscraper", "sky"))
        #expect(ADQLFunctions.hasWord("gamma-ray bursts", "ray"))
        #expect(ADQLFunctions.hasWord("gamma-ray bursts", "gamma ray"))
        #expect(!ADQLFunctions.hasWord("ray gamma", "gamma ray"))
        #expect(!ADQLFunctions.hasWord("anything", ""))
        #expect(!ADQLFunctions.hasWord("anything", " -- "))
    }

    @Test func caseAndDiacritics() {
        #expect(ADQLFunctions.hasWord("The SLOAN survey", "sloan"))
        #expect(ADQLFunctions.hasWord("Observatoire de Genève", "geneve"))
        #expect(ADQLFunctions.hasWord("Observatoire de Geneve", "GENÈVE"))
        #expect(ADQLFunctions.words("Ångström-calibrated") == ["angstrom", "calibrated"])
    }

    @Test func hashlists() {
        #expect(ADQLFunctions.hashlistHas("optical#infrared", "optical"))
        #expect(ADQLFunctions.hashlistHas("optical#infrared", "INFRARED"))
        #expect(!ADQLFunctions.hashlistHas("optical#infrared", "infra"))
        #expect(!ADQLFunctions.hashlistHas("optical#infrared", "optical#infrared#x"))
        #expect(ADQLFunctions.hashlistHas("single", "single"))
        #expect(!ADQLFunctions.hashlistHas("", "x"))
        #expect(ADQLFunctions.hashlistHas("a##b", ""))
    }

    @Test func intervals() {
        #expect(ADQLFunctions.intervalsOverlap(1, 2, 2, 3))
        #expect(ADQLFunctions.intervalsOverlap(2, 3, 1, 2))
        #expect(ADQLFunctions.intervalsOverlap(1, 10, 4, 5))
        #expect(ADQLFunctions.intervalsOverlap(4, 5, 1, 10))
        #expect(!ADQLFunctions.intervalsOverlap(1, 2, 2.0001, 3))
        #expect(!ADQLFunctions.intervalsOverlap(3, 4, 1, 2))
    }

    @Test func ftsPhraseEscapes() {
        #expect(ADQLFunctions.ftsPhrase(column: "title", needle: "Gamma-Ray \"x\"") == "{title} : \"gamma ray x\"")
        #expect(ADQLFunctions.ftsPhrase(column: "title", needle: "***") == nil)
    }
}
