import Foundation
import Hummingbird
import HummingbirdTesting
import Publisher
import RegistryServer
import TestSupport
import Testing

/// Publishing through the API and the audience of each listener.
@Suite struct PublishRouteTests {
    static let record = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ri:Resource xmlns:ri="http://www.ivoa.net/xml/RegistryInterface/v1.0"
            xmlns:vr="http://www.ivoa.net/xml/VOResource/v1.0"
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="vr:Service"
            created="2025-01-01T00:00:00Z" updated="2025-01-02T00:00:00Z" status="active">
          <title>Plumbusfrobnicator internal API</title>
          <identifier>ivo://route-test.org/plumbus</identifier>
          <curation><publisher>Example</publisher><contact><name>Support</name></contact></curation>
          <content><subject>Testing</subject><description>Plumbusfrobnicator.</description>
            <referenceURL>https://example.org/info</referenceURL></content>
        </ri:Resource>
        """
    static let path = "/api/records/ivo%3A%2F%2Froute-test.org%2Fplumbus"
    static let tapQuery = "/tap/sync?LANG=ADQL&RESPONSEFORMAT=csv&QUERY=SELECT%20ivoid%20FROM%20rr.resource"

    @Test(.enabled(if: Fixtures.haveSchemas)) func internalRecordsOnlyForInternalAudiences() async throws {
        let h = try ServerHarness(samples: false)
        try h.server.publishing.accounts.add(name: "alice", password: "long enough", authorities: ["ivo://route-test.org"])
        let token: String = try await h.test { client in
            let r = try await client.execute(
                uri: "/api/login", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"name": "alice", "password": "long enough"}"#))
            #expect(r.status == .ok)
            let obj = try JSONSerialization.jsonObject(with: Data(String(buffer: r.body).utf8)) as? [String: Any]
            return try #require(obj?["token"] as? String)
        }
        try await h.test { client in
            let none = try await client.execute(uri: Self.path + "?visibility=internal", method: .put, body: ByteBuffer(string: Self.record))
            #expect(none.status == .unauthorized)
            let put = try await client.execute(
                uri: Self.path + "?visibility=internal", method: .put, headers: [.authorization: "Bearer \(token)"],
                body: ByteBuffer(string: Self.record))
            #expect(put.status == .ok, "\(String(buffer: put.body))")
            let pub = try await client.execute(uri: Self.tapQuery, method: .get)
            #expect(!String(buffer: pub.body).contains("plumbus"))
            let withToken = try await client.execute(uri: Self.tapQuery, method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(String(buffer: withToken.body).contains("ivo://route-test.org/plumbus"))
            let oai = try await client.execute(
                uri: "/oai?verb=GetRecord&metadataPrefix=ivo_vor&identifier=ivo://route-test.org/plumbus", method: .get)
            #expect(String(buffer: oai.body).contains("idDoesNotExist"))
            let search = try await client.execute(uri: "/api/search?q=plumbusfrobnicator", method: .get)
            #expect(String(buffer: search.body).contains("\"total\":0"))
            #expect(try await client.execute(uri: Self.path, method: .get).status == .notFound)
        }
        let app = Application(router: h.server.makeRouter(internalListener: true))
        try await app.test(.router) { client in
            let tap = try await client.execute(uri: Self.tapQuery, method: .get)
            #expect(String(buffer: tap.body).contains("ivo://route-test.org/plumbus"))
            let search = try await client.execute(uri: "/api/search?q=plumbusfrobnicator", method: .get)
            #expect(String(buffer: search.body).contains("ivo://route-test.org/plumbus"))
            #expect(try await client.execute(uri: Self.path, method: .get).status == .ok)
            // OAI-PMH stays public-only on the internal listener.
            let oai = try await client.execute(
                uri: "/oai?verb=GetRecord&metadataPrefix=ivo_vor&identifier=ivo://route-test.org/plumbus", method: .get)
            #expect(String(buffer: oai.body).contains("idDoesNotExist"))
        }
    }
}

/// The capability publisher against a live VOSI service: this registry's own TAP service.
@Suite struct VOSIRecordTests {
    @Test(.enabled(if: Fixtures.haveSchemas)) func recordFromVOSICapabilitiesAndTables() async throws {
        let h = try ServerHarness(samples: false)
        let app = Application(router: h.server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let source = VOSISource(
                url: "http://127.0.0.1:\(client.port!)/tap", ivoid: "ivo://vosi-test.org/rr", title: "The RegTAP service",
                visibility: .public)
            let xml = try await VOSIReader.buildRecord(source)
            #expect(xml.contains("xsi:type=\"vs:CatalogService\""))
            #expect(xml.contains("<tableset>"))
            let outcome = try h.server.publishing.publisher.publish(Data(xml.utf8), account: nil)
            #expect(outcome.outcome == "stored")
            let again = try h.server.publishing.publisher.publish(Data(try await VOSIReader.buildRecord(source).utf8), account: nil)
            #expect(again.outcome == "unchanged")
            // A service that does not answer is reported, not published.
            let gone = VOSISource(url: "http://127.0.0.1:\(client.port!)/nothing", ivoid: "ivo://vosi-test.org/x", title: nil, visibility: .public)
            await #expect(throws: PublishError.self) { try await VOSIReader.buildRecord(gone) }
        }
    }
}
