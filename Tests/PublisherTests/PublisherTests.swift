import Foundation
import GRDB
import RegistryStore
import TestSupport
import Testing
import VOResource

@testable import Publisher

@Suite struct PublisherTests {
    let store: RegistryStore
    let accounts: PublisherAccounts

    init() throws {
        let dir = NSTemporaryDirectory() + "voreg-pub-" + UUID().uuidString
        store = try RegistryStore(path: dir + "/store.sqlite")
        accounts = PublisherAccounts(store: store, tokenLifetime: 60, cost: 4)
    }

    static let validator: SchemaValidator? =
        Fixtures.haveSchemas ? try? SchemaValidator(schemasDirectory: Fixtures.schemas) : nil

    static func record(_ id: String, title: String = "A service", dates: String = "created=\"2025-01-01T00:00:00Z\" updated=\"2025-01-02T00:00:00Z\"") -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <ri:Resource xmlns:ri="http://www.ivoa.net/xml/RegistryInterface/v1.0"
            xmlns:vr="http://www.ivoa.net/xml/VOResource/v1.0" xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="vr:Service" \(dates) status="active">
          <title>\(title)</title>
          <identifier>\(id)</identifier>
          <curation><publisher>Example</publisher><contact><name>Support</name></contact></curation>
          <content><subject>Testing</subject><description>A test.</description>
            <referenceURL>https://example.org/info</referenceURL></content>
        </ri:Resource>
        """
    }

    @Test func tokenHashIsSHA256() {
        #expect(TokenHash.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(TokenHash.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            TokenHash.hex(String(repeating: "a", count: 1000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func loginTokenExpiryAndRevocation() throws {
        try accounts.add(name: "alice", password: "long enough", authorities: ["ivo://Example.org"])
        #expect(try accounts.login(name: "alice", password: "wrong one!") == nil)
        #expect(try accounts.login(name: "nobody", password: "long enough") == nil)
        let now = RegistryStore.now()
        let t = try #require(try accounts.login(name: "alice", password: "long enough", now: now))
        #expect(try accounts.account(forToken: t.token, now: now + 1)?.name == "alice")
        #expect(try accounts.account(forToken: t.token, now: now + 61) == nil)
        let stored = try store.pool.read { db in try String.fetchAll(db, sql: "SELECT token_hash FROM publisher_tokens") }
        #expect(!stored.contains(t.token))
        #expect(try accounts.logout(token: t.token, now: now + 2))
        #expect(try accounts.account(forToken: t.token, now: now + 3) == nil)
        #expect(throws: AccountError.self) { try accounts.add(name: "alice", password: "long enough", authorities: []) }
    }

    @Test func authorityOwnership() {
        let a = PublisherAccount(name: "a", authorities: ["ivo://example.org"], created: 0)
        #expect(a.owns("ivo://EXAMPLE.org/tap"))
        #expect(a.owns("ivo://example.org"))
        #expect(!a.owns("ivo://example.org.evil/tap"))
        #expect(!a.owns("ivo://other.org/tap"))
        #expect(!a.owns("http://example.org/tap"))
    }

    @Test(.enabled(if: Fixtures.haveSchemas)) func publishRules() throws {
        let p = RecordPublisher(store: store, validator: Self.validator)
        let owner = PublisherAccount(name: "a", authorities: ["ivo://example.org"], created: 0)
        let other = PublisherAccount(name: "b", authorities: ["ivo://other.org"], created: 0)
        let xml = Data(Self.record("ivo://example.org/svc").utf8)
        #expect(throws: PublishError.self) { try p.publish(xml, account: other) }
        #expect(try p.publish(xml, account: owner).outcome == "stored")
        let d1 = try #require(try store.record(identifier: "ivo://example.org/svc")).datestamp
        #expect(try p.publish(xml, account: owner, now: Date().addingTimeInterval(5)).outcome == "unchanged")
        #expect(try store.record(identifier: "ivo://example.org/svc")?.datestamp == d1)
        // Schema errors come with their line.
        let bad = Data(Self.record("ivo://example.org/bad").replacingOccurrences(of: "<title>A service</title>", with: "").utf8)
        do {
            _ = try p.publish(bad, account: owner)
            Issue.record("an invalid record was published")
        } catch let error as PublishError {
            #expect(error.status == 422)
            #expect(error.issues.first.map { $0.line > 0 } == true)
        } catch {
            Issue.record("\(error)")
        }
        // Missing dates are set; updated before created is refused.
        let undated = Data(Self.record("ivo://example.org/undated", dates: "").utf8)
        let o = try p.publish(undated, visibility: .internal, account: owner)
        #expect(o.created != nil && o.updated != nil && o.visibility == "internal")
        #expect(try p.publish(undated, visibility: .internal, account: owner).outcome == "unchanged")
        let backwards = Data(
            Self.record("ivo://example.org/b", dates: "created=\"2025-01-02T00:00:00Z\" updated=\"2025-01-01T00:00:00Z\"").utf8)
        #expect(throws: PublishError.self) { try p.publish(backwards, account: owner) }
        // A public record is not silently made internal (harvesters would keep it).
        #expect(throws: PublishError.self) { try p.publish(xml, visibility: .internal, account: owner) }
        // Delete leaves a tombstone.
        #expect(try p.delete(identifier: "ivo://example.org/svc", account: owner).outcome == "deleted")
        #expect(try store.record(identifier: "ivo://example.org/svc")?.status == .deleted)
        #expect(throws: PublishError.self) { try p.delete(identifier: "ivo://example.org/svc", account: owner) }
        #expect(try p.record(identifier: "ivo://example.org/undated", includeInternal: false) == nil)
        #expect(try p.record(identifier: "ivo://example.org/undated", includeInternal: true) != nil)
    }

    @Test(.enabled(if: Fixtures.haveSchemas)) func descriptorsExpandToValidRecords() throws {
        let v = try #require(Self.validator)
        for std in ["tap", "sia", "sia2", "ssa", "scs", "uws", "vospace", "ivo://example.org/std/x#y"] {
            let yaml = """
                identifier: ivo://example.org/\(std.filter(\.isLetter))
                title: A \(std) service
                description: A test & more <stuff>.
                publisher: Example
                contact: support@example.org
                subjects: [Testing]
                capabilities:
                  - {standard: "\(std)", url: "https://example.org/x?a=1&b=2", description: "the endpoint"}
                """
            let xml = try ServiceDescriptor.parse(yaml).expand()
            let doc = try RecordReader.read(data: Data(xml.utf8), validator: v)
            guard case .resource(let r) = doc.entries.first else {
                Issue.record("no record for \(std)")
                continue
            }
            #expect(r.schemaIssues == [], "\(std): \(r.schemaIssues ?? [])\n\(xml)")
        }
        let json = #"{"identifier": "ivo://example.org/j", "title": "T", "description": "D", "publisher": "P", "capabilities": [{"standard": "tap", "url": "https://example.org/tap"}]}"#
        #expect(try ServiceDescriptor.parse(json).expand().contains("tr:TableAccess"))
        #expect(throws: PublishError.self) { try ServiceDescriptor.parse("title: x\n") }
    }

    @Test func addAttributesToRootTag() {
        let x = RecordPublisher.addAttributes("<?xml version=\"1.0\"?>\n<!-- c -->\n<ri:Resource a=\"1\"/>", [("created", "2025")])
        #expect(x == "<?xml version=\"1.0\"?>\n<!-- c -->\n<ri:Resource created=\"2025\" a=\"1\"/>")
    }
}

/// Descriptors `make fuzz` (FuzzDescriptor) found, as they were found.
@Suite struct DescriptorFuzzRegressionTests {
    /// An identifier with a character XML cannot hold (here NUL, as a JSON escape) was expanded
    /// into a record whose identifier had U+FFFD instead: a different resource than the one the
    /// descriptor names. It is refused now, as are controls and whitespace inside the identifier.
    @Test func identifiersXMLCannotHoldAreRefused() throws {
        let found = #"""
            {"identifier": "ivo://example\u0000son", "title": "JSON service", "descriptionrd": "tap", "url": "http://127.0.0.1ON service", "description": "d", "publisher": "p", "contact": {"email": "a@b.c"}, "capabilities": [{"standard": "tap", "url": "http://127.0.0.1/t/tap"}]}

            """#
        let d = try ServiceDescriptor.parse(found)
        #expect(d.identifier == "ivo://example\u{0}son")
        #expect(throws: PublishError.self) { _ = try d.expand(now: Date(timeIntervalSince1970: 0)) }
        do { _ = try d.expand() } catch { #expect(error.message.contains("U+0"), "\(error.message)") }
        for id in ["ivo://a/b\u{7}c", "ivo://a/b c", "ivo://a/b\nc", "ivo://a/b\u{85}", "ivo://a/\u{FFFE}"] {
            var e = d
            e.identifier = id
            #expect(throws: PublishError.self, "\(id.debugDescription)") { _ = try e.expand() }
        }
        var ok = d
        ok.identifier = "  ivo://example.org/é?x#y  "
        let xml = try ok.expand()
        #expect(xml.contains("<identifier>ivo://example.org/é?x#y</identifier>"))
    }
}
