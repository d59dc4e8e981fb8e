import Foundation

/// Paths and records the tests share.
public enum Fixtures {
    /// The package root (this file is Tests/TestSupport/Fixtures.swift).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    public static let schemas = root + "/Schemas"
    public static let samples = root + "/Resources/records"
    public static let corpus = root + "/../shared/corpus"

    public static var haveSchemas: Bool { FileManager.default.fileExists(atPath: schemas + "/ivoa/VOResource.xsd") }

    public static let namespaces = """
        xmlns:ri="http://www.ivoa.net/xml/RegistryInterface/v1.0" \
        xmlns:vr="http://www.ivoa.net/xml/VOResource/v1.0" \
        xmlns:vs="http://www.ivoa.net/xml/VODataService/v1.1" \
        xmlns:tr="http://www.ivoa.net/xml/TAPRegExt/v1.0" \
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
        """

    /// A catalog service written for these tests, with a TAP capability and a tableset.
    public static let catalogService = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ri:Resource \(namespaces) xsi:type="vs:CatalogService" created="2020-01-02T03:04:05Z" updated="2021-02-03T00:00:00" status="active">
          <title>  Test   Catalog  </title>
          <shortName>TC</shortName>
          <identifier>ivo://Test.Org/Cat</identifier>
          <curation>
            <publisher ivo-id="ivo://test.org">Test Org</publisher>
            <creator><name>Ann A.</name><logo>https://test.org/logo.png</logo></creator>
            <creator><name>Bob B.</name></creator>
            <date role="creation">2019-05-01</date>
            <date>2019-06-01T10:00:00</date>
            <version>2.1</version>
            <contact><name ivo-id="ivo://Test.Org/people/ann">Ann</name><email>ann@test.org</email></contact>
          </curation>
          <content>
            <subject>Stars</subject>
            <subject>  </subject>
            <description>A catalog of stars.</description>
            <referenceURL>https://test.org/cat</referenceURL>
            <type>Catalog</type>
            <type>Survey</type>
            <contentLevel>Research</contentLevel>
            <contentLevel>University</contentLevel>
            <relationship>
              <relationshipType>served-by</relationshipType>
              <relatedResource ivo-id="ivo://Test.Org/TAP">The TAP service</relatedResource>
              <relatedResource>Another</relatedResource>
            </relationship>
          </content>
          <rights rightsURI="https://creativecommons.org/licenses/by/4.0/">CC-BY</rights>
          <rights>second</rights>
          <capability standardID="ivo://ivoa.net/std/TAP" xsi:type="tr:TableAccess">
            <validationLevel validatedBy="ivo://Test.Org/validator">2</validationLevel>
            <interface xsi:type="vs:ParamHTTP" role="std" version="1.1">
              <accessURL use="base">https://test.org/tap</accessURL>
              <mirrorURL>https://mirror.test.org/tap</mirrorURL>
              <mirrorURL>https://Mirror2.test.org/tap</mirrorURL>
              <securityMethod standardID="ivo://ivoa.net/sso#BasicAA"/>
            </interface>
            <interface xsi:type="vs:ParamHTTP" role="std">
              <accessURL use="base">https://test.org/tap-anon</accessURL>
              <securityMethod/>
            </interface>
            <dataModel ivo-id="ivo://ivoa.net/std/RegTAP#1.1">Registry 1.1</dataModel>
            <language><name>ADQL</name><version ivo-id="ivo://ivoa.net/std/ADQL#v2.0">2.0</version></language>
            <outputFormat><mime>text/xml</mime></outputFormat>
            <outputFormat><mime>text/csv</mime></outputFormat>
          </capability>
          <capability standardID="ivo://ivoa.net/std/ConeSearch">
            <interface xsi:type="vs:ParamHTTP" role="std">
              <accessURL use="base">https://test.org/scs?</accessURL>
              <queryType>GET</queryType><queryType>POST</queryType>
              <resultType>application/x-votable+xml</resultType>
              <param std="true" use="required"><name>RA</name><description>Right ascension</description><unit>deg</unit><ucd>POS_EQ_RA_MAIN</ucd><dataType>double</dataType></param>
            </interface>
          </capability>
          <coverage>
            <spatial>3/1-4 5/7</spatial>
            <temporal>51544 51545.5</temporal>
            <spectral>1e-19 2e-19</spectral>
            <waveband>Optical</waveband>
            <waveband>Infrared</waveband>
            <regionOfRegard>0.5</regionOfRegard>
          </coverage>
          <tableset>
            <schema>
              <name>Main</name>
              <table type="base_table">
                <name>Main.Stars</name>
                <description>The stars</description>
                <column std="1"><name>RA</name><ucd>POS.EQ.RA</ucd><dataType xsi:type="vs:VOTableType" arraysize="1">double</dataType><flag>indexed</flag><flag>primary</flag></column>
                <column><name>Dec</name></column>
              </table>
            </schema>
            <schema>
              <name>aux</name>
              <table><name>aux.Notes</name><column><name>text</name></column></table>
            </schema>
          </tableset>
          <extraStuff xmlns="http://example.org/ext">kept</extraStuff>
        </ri:Resource>
        """
}
