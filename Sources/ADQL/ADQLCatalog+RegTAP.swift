public import RegistryStore

/// The RegTAP 1.2 `rr` schema as ADQL sees it: types, units and descriptions from the
/// standard's table descriptions ("VOResource Tables"), utypes from its xpaths.
extension ADQLCatalog {
    /// The RegTAP 1.2 data model identifier, the `utype` of the rr schema.
    public static let regTAPUtype = "ivo://ivoa.net/std/RegTAP#1.2"

    /// The 17 rr tables and `rr.tap_table`.
    ///
    /// - Parameters:
    ///   - sqlName: the SQLite table or view for each rr table (views hiding internal records
    ///     must keep the column names).
    ///   - tapTableSQLName: the SQLite view behind `rr.tap_table`.
    /// - Returns: the tables, in the standard's order, with `rr.tap_table` last.
    public static func regTAP(
        sqlName: (RRTable) -> String = { $0.sqlName }, tapTableSQLName: String = "rr_tap_table"
    ) -> [ADQLTable] {
        var out: [ADQLTable] = RRTable.allCases.map { t in
            let spec = RegTAPSpec.table(t)
            let indexed = RegTAPSpec.indexed(t)
            let columns = t.columns.map { c -> ADQLColumn in
                let cs = spec.columns[c.name] ?? RegTAPSpec.Col(.varchar(nil), nil, nil)
                return ADQLColumn(
                    name: c.name, sqlName: c.name, type: cs.type, unit: cs.unit, ucd: nil,
                    utype: cs.xpath.map { "xpath:" + $0 }, description: cs.description, xtype: cs.xtype,
                    principal: spec.principal.contains(c.name), indexed: indexed.contains(c.name), std: true,
                    fullText: RegTAPSpec.fullText(t, c.name))
            }
            return ADQLTable(
                schema: "rr", name: t.name, sqlName: sqlName(t), description: spec.description,
                utype: spec.xpath.map { "xpath:" + $0 }, columns: columns)
        }
        out.append(RegTAPSpec.tapTable(sqlName: tapTableSQLName))
        return out
    }
}

/// Column metadata per rr table.
enum RegTAPSpec {
    struct Col {
        var type: ADQLType
        var xpath: String?
        var description: String?
        var unit: String? = nil
        var xtype: String? = nil

        init(_ type: ADQLType, _ xpath: String?, _ description: String?, unit: String? = nil, xtype: String? = nil) {
            self.type = type
            self.xpath = xpath
            self.description = description
            self.unit = unit
            self.xtype = xtype
        }
    }

    struct Table {
        var description: String
        var xpath: String?
        var principal: Set<String>
        var columns: [String: Col]
    }

    static let string = ADQLType.varchar(nil)
    static let key = ADQLType.smallint
    static let parent = Col(string, "/identifier", "The parent resource.")
    static let stamp = ADQLType.char(19)

    /// Indexed columns: primary keys and the store's secondary indexes (leading columns).
    static func indexed(_ t: RRTable) -> Set<String> {
        switch t {
        case .resource: ["ivoid"]
        case .resRole: ["ivoid", "role_name"]
        case .resSubject: ["ivoid", "res_subject"]
        case .capability: ["ivoid", "cap_type", "standard_id"]
        case .resSchema: ["ivoid"]
        case .resTable: ["ivoid", "table_name"]
        case .tableColumn: ["ivoid", "name", "ucd"]
        case .interface: ["ivoid", "intf_type"]
        case .intfParam: ["ivoid"]
        case .relationship: ["ivoid", "related_id"]
        case .validation, .resDate, .stcSpatial, .stcTemporal, .stcSpectral: ["ivoid"]
        case .resDetail: ["ivoid", "detail_xpath"]
        case .altIdentifier: ["ivoid", "alt_identifier"]
        }
    }

    /// The rr_fts column that indexes an rr column's words.
    static func fullText(_ t: RRTable, _ column: String) -> String? {
        guard t == .resource else { return nil }
        switch column {
        case "res_title": return "title"
        case "res_description": return "description"
        case "short_name": return "short_name"
        default: return nil
        }
    }

    static func table(_ t: RRTable) -> Table {
        switch t {
        case .resource:
            Table(
                description: "The resources (services, data collections, organisations, standards, ...) known to the registry; one row per active resource record.",
                xpath: "/", principal: ["ivoid", "res_type", "short_name", "res_title"],
                columns: [
                    "ivoid": Col(string, "identifier", "Unambiguous reference to the resource conforming to the IVOA standard for identifiers."),
                    "res_type": Col(string, "@xsi:type", "Resource type (something like vg:authority, vs:catalogservice, etc)."),
                    "created": Col(stamp, "@created", "The UTC date and time this resource metadata description was created.", xtype: "timestamp"),
                    "short_name": Col(string, "shortName", "A short name or abbreviation given to something, for presentation in space-constrained fields (up to 16 characters)."),
                    "res_title": Col(string, "title", "The full name given to the resource."),
                    "updated": Col(stamp, "@updated", "The UTC date this resource metadata description was last updated.", xtype: "timestamp"),
                    "content_level": Col(string, "content/contentLevel", "A hash-separated list of content levels specifying the intended audience."),
                    "res_description": Col(string, "content/description", "An account of the nature of the resource."),
                    "reference_url": Col(string, "content/referenceURL", "URL pointing to a human-readable document describing this resource."),
                    "creator_seq": Col(string, "curation/creator/name", "The creator(s) of the resource in the order given by the resource record author, separated by semicolons."),
                    "content_type": Col(string, "content/type", "A hash-separated list of natures or genres of the content of the resource."),
                    "source_format": Col(string, "content/source/@format", "The format of source_value. This, in particular, can be \"bibcode\"."),
                    "source_value": Col(string, "content/source", "A bibliographic reference from which the present resource is derived or extracted."),
                    "res_version": Col(string, "curation/version", "Label associated with creation or availablilty of a version of a resource."),
                    "region_of_regard": Col(.real, "coverage/regionOfRegard", "A single numeric value representing the angle, given in decimal degrees, by which a positional query against this resource should be \"blurred\" in order to get an appropriate match.", unit: "deg"),
                    "waveband": Col(string, "coverage/waveband", "A hash-separated list of regions of the electro-magnetic spectrum that the resource's spectral coverage overlaps with."),
                    "rights": Col(string, "/rights", "A statement of usage conditions (license, attribution, embargo, etc)."),
                    "rights_uri": Col(string, "/rights/@rightsURI", "A URI identifying a license the data is made available under."),
                ])
        case .resRole:
            Table(
                description: "Entities (persons, organisations) related to resources: contacts, publishers, creators and contributors, distinguished by base_role.",
                xpath: "/curation/", principal: ["ivoid", "role_name", "base_role"],
                columns: [
                    "ivoid": parent,
                    "role_name": Col(string, nil, "The real-world name or title of a person or organization."),
                    "role_ivoid": Col(string, nil, "An IVOA identifier of a person or organization."),
                    "street_address": Col(string, nil, "A mailing address for a person or organization."),
                    "email": Col(string, nil, "An email address the entity can be reached at."),
                    "telephone": Col(string, nil, "A telephone number the entity can be reached at."),
                    "logo": Col(string, nil, "URL pointing to a graphical logo, which may be used to help identify the entity."),
                    "base_role": Col(string, nil, "The role played by this entity; this is one of contact, publisher, contributor, or creator."),
                ])
        case .resSubject:
            Table(
                description: "Topics, object types, or other descriptive keywords about the resource; one row per subject.",
                xpath: "/content/", principal: ["ivoid", "res_subject"],
                columns: [
                    "ivoid": parent,
                    "res_subject": Col(string, "subject", "Topics, object types, or other descriptive keywords about the resource."),
                ])
        case .capability:
            Table(
                description: "Pieces of behaviour of a resource (its modes of interaction); only the members of the base type vr:Capability.",
                xpath: "/capability/", principal: ["ivoid", "cap_index", "standard_id"],
                columns: [
                    "ivoid": parent,
                    "cap_index": Col(key, nil, "An arbitrary identifier of this capability within the resource."),
                    "cap_type": Col(string, "@xsi:type", "The type of capability covered here. If looking for endpoints implementing a certain standard, you should not use this column but rather match against standard_id."),
                    "cap_description": Col(string, "description", "A human-readable description of what this capability provides as part of the over-all service."),
                    "standard_id": Col(string, "@standardID", "A URI for a standard this capability conforms to."),
                ])
        case .resSchema:
            Table(
                description: "Sets of tables related to resources (VODataService schema elements).",
                xpath: "/tableset/schema/", principal: ["ivoid", "schema_name"],
                columns: [
                    "ivoid": parent,
                    "schema_index": Col(key, nil, "An arbitrary identifier for the res_schema rows belonging to a resource."),
                    "schema_description": Col(string, "description", "A free text description of the tableset explaining in general how all of the tables are related."),
                    "schema_name": Col(string, "name", "A name for the set of tables."),
                    "schema_title": Col(string, "title", "A descriptive, human-interpretable name for the table set."),
                    "schema_utype": Col(string, "utype", "An identifier for a concept in a data model that the data in this schema as a whole represent."),
                ])
        case .resTable:
            Table(
                description: "(Relational) tables that are part of schemata or resources (VODataService table elements).",
                xpath: "/(tableset/schema/|)table/", principal: ["ivoid", "table_name", "table_description"],
                columns: [
                    "ivoid": parent,
                    "schema_index": Col(key, nil, "Index of the schema this table belongs to, if it belongs to a schema (otherwise NULL)."),
                    "table_description": Col(string, "description", "A free-text description of the table's contents."),
                    "table_name": Col(string, "name", "The fully qualified name of the table. As per VODataService, this includes all catalog or schema prefixes needed to distinguish it in a query, and it comes with SQL delimiters where necessary."),
                    "table_index": Col(key, nil, "An arbitrary identifier for the tables belonging to a resource."),
                    "table_title": Col(string, "title", "A descriptive, human-interpretable name for the table."),
                    "table_type": Col(string, "@type", "A name for the role this table plays. Recognized values include \"output\", indicating this table is output from a query; \"base_table\", indicating a table whose records represent the main subjects of its schema; and \"view\", indicating that the table represents a useful combination or subset of other tables. Other values are allowed."),
                    "table_utype": Col(string, "utype", "An identifier for a concept in a data model that the data in this table as a whole represent."),
                    "nrows": Col(.bigint, "nrows", "The approximate number of rows in the table (VODataService 1.2)."),
                ])
        case .tableColumn:
            Table(
                description: "Metadata on columns of a resource's tables (VODataService column elements).",
                xpath: "/(tableset/schema/|)table/column/", principal: ["ivoid", "name", "ucd", "unit"],
                columns: [
                    "ivoid": parent,
                    "table_index": Col(key, nil, "Index of the table this column belongs to."),
                    "name": Col(string, "name", "The name of the column."),
                    "ucd": Col(string, "ucd", "A unified content descriptor that describes the scientific content of the column."),
                    "unit": Col(string, "unit", "The unit associated with all values in the column."),
                    "utype": Col(string, "utype", "An identifier for a role in a data model that the data in this column represents."),
                    "std": Col(.smallint, "@std", "If 1, the meaning and use of this column is reserved and defined by a standard model. If 0, it represents a database-specific column that effectively extends beyond the standard."),
                    "datatype": Col(string, "dataType", "The type of the data contained in the column."),
                    "extended_schema": Col(string, "dataType/@extendedSchema", "An identifier for the schema that the value given by the extended attribute is drawn from."),
                    "extended_type": Col(string, "dataType/@extendedType", "A custom type for the values this column contains."),
                    "arraysize": Col(string, "dataType/@arraysize", "The shape of the array that constitutes the value, e.g., 4, *, 4*, 5x4, or 5x*, as specified by VOTable."),
                    "delim": Col(string, "dataType/@delim", "The string that is used to delimit elements of an array value when arraysize is not '1'."),
                    "type_system": Col(string, "dataType/@xsi:type", "The type system used, as a QName with a canonical prefix; this will ususally be one of vs:simpledatatype, vs:votabletype, and vs:taptype."),
                    "flag": Col(string, "flag", "Hash-separated keywords representing traits of the column. Recognized values include \"indexed\", \"primary\", and \"nullable\"."),
                    "column_description": Col(string, "description", "A free-text description of the column's contents."),
                ])
        case .interface:
            Table(
                description: "Information on access modes of a capability (vr:Interface with its accessURL).",
                xpath: "/capability/interface/", principal: ["ivoid", "cap_index", "intf_type", "access_url"],
                columns: [
                    "ivoid": parent,
                    "cap_index": Col(key, nil, "The index of the parent capability."),
                    "intf_index": Col(key, nil, "An arbitrary identifier for the interfaces of a resource."),
                    "intf_type": Col(string, "@xsi:type", "The type of the interface (vr:webbrowser, vs:paramhttp, etc)."),
                    "intf_role": Col(string, "@role", "An identifier for the role the interface plays in the particular capability. If the value is equal to \"std\" or begins with \"std:\", then the interface refers to a standard interface defined by the standard referred to by the capability's standardID attribute."),
                    "std_version": Col(string, "@version", "The version of a standard interface specification that this interface complies with. When the interface is provided in the context of a Capability element, then the standard being refered to is the one identified by the Capability's standardID element."),
                    "query_type": Col(string, "queryType", "Hash-joined list of expected HTTP method (get or post) supported by the service."),
                    "result_type": Col(string, "resultType", "The MIME type of a document returned in the HTTP response."),
                    "wsdl_url": Col(string, "wsdlURL", "The location of the WSDL that describes this Web Service. If NULL, the location can be assumed to be the accessURL with '?wsdl' appended."),
                    "url_use": Col(string, "accessURL/@use", "A flag indicating whether this should be interpreted as a base URL ('base'), a full URL ('full'), or a URL to a directory that will produce a listing of files ('dir')."),
                    "access_url": Col(string, "accessURL", "The URL at which the interface is found."),
                    "mirror_url": Col(string, "mirrorURL", "Secondary access URLs of this interface, separated by hash characters."),
                    "authenticated_only": Col(.smallint, nil, "A flag for whether an interface is available for anonymous use (=0) or only authenticated clients are served (=1)."),
                ])
        case .intfParam:
            Table(
                description: "Input parameters for services.",
                xpath: "/capability/interface/param/", principal: ["ivoid", "name", "ucd", "unit"],
                columns: [
                    "ivoid": parent,
                    "intf_index": Col(key, nil, "The index of the interface this parameter belongs to."),
                    "name": Col(string, "name", "The name of the parameter."),
                    "ucd": Col(string, "ucd", "A unified content descriptor that describes the scientific content of the parameter."),
                    "unit": Col(string, "unit", "The unit associated with all values in the parameter."),
                    "utype": Col(string, "utype", "An identifier for a role in a data model that the data in this parameter represents."),
                    "std": Col(.smallint, "@std", "If 1, the meaning and use of this parameter is reserved and defined by a standard model. If 0, it represents a database-specific parameter that effectively extends beyond the standard."),
                    "datatype": Col(string, "dataType", "The type of the data contained in the parameter."),
                    "extended_schema": Col(string, "dataType/@extendedSchema", "An identifier for the schema that the value given by the extended attribute is drawn from."),
                    "extended_type": Col(string, "dataType/@extendedType", "A custom type for the values this parameter contains."),
                    "arraysize": Col(string, "dataType/@arraysize", "The shape of the array that constitutes the value, e.g., 4, *, 4*, 5x4, or 5x*, as specified by VOTable."),
                    "delim": Col(string, "dataType/@delim", "The string that is used to delimit elements of an array value when arraysize is not '1'."),
                    "param_use": Col(string, "@use", "An indication of whether this parameter is required to be provided for the application or service to work properly (one of required, optional, ignored, or NULL)."),
                    "param_description": Col(string, "description", "A free-text description of the parameter's contents."),
                ])
        case .relationship:
            Table(
                description: "Relationships between resources (e.g., mirroring, derivation, serving a data collection).",
                xpath: "/content/relationship/", principal: ["ivoid", "relationship_type", "related_id"],
                columns: [
                    "ivoid": parent,
                    "relationship_type": Col(string, "relationshipType", "The type of the relationship; these terms are drawn from a controlled vocabulary and are DataCite-compatible."),
                    "related_id": Col(string, "relatedResource/@ivo-id", "The IVOA identifier for the resource referred to."),
                    "related_name": Col(string, "relatedResource", "The name of resource that this resource is related to."),
                ])
        case .validation:
            Table(
                description: "Validation levels for resources and capabilities.",
                xpath: "/(capability/|)validationLevel", principal: ["ivoid", "validated_by", "val_level"],
                columns: [
                    "ivoid": parent,
                    "validated_by": Col(string, "validationLevel/@validatedBy", "The IVOA ID of the registry or organisation that assigned the validation level."),
                    "val_level": Col(.smallint, "validationLevel", "A numeric grade describing the quality of the resource description, when applicable, to be used to indicate the confidence an end-user can put in the resource as part of a VO application or research study."),
                    "cap_index": Col(key, nil, "If non-NULL, the validation only refers to the capability referenced here."),
                ])
        case .resDate:
            Table(
                description: "A date associated with an event in the life cycle of the resource.",
                xpath: "/curation/", principal: ["ivoid", "date_value", "value_role"],
                columns: [
                    "ivoid": parent,
                    "date_value": Col(stamp, "date", "A date associated with an event in the life cycle of the resource.", xtype: "timestamp"),
                    "value_role": Col(string, "date/@role", "A string indicating what the date refers to, e.g., created, availability, updated. This value is generally drawn from a controlled vocabulary."),
                ])
        case .resDetail:
            Table(
                description: "XPath-value pairs for members of resource or capability and their derivations that are less used and/or from VOResource extensions.",
                xpath: nil, principal: ["ivoid", "detail_xpath", "detail_value"],
                columns: [
                    "ivoid": parent,
                    "cap_index": Col(key, nil, "The index of the parent capability; if NULL the xpath-value pair describes a member of the entire resource."),
                    "detail_xpath": Col(string, nil, "The xpath of the data item."),
                    "detail_value": Col(string, nil, "(Atomic) value of the member."),
                ])
        case .altIdentifier:
            Table(
                description: "Alternate identifiers (DOIs, ORCIDs, bibcodes, ...) of resources or entities related to them, in URI form.",
                xpath: nil, principal: ["ivoid", "alt_identifier"],
                columns: [
                    "ivoid": parent,
                    "alt_identifier": Col(string, nil, "An identifier for the resource or an entity related to the resource in URI form."),
                ])
        case .stcSpatial:
            Table(
                description: "The spatial coverage of resources, as MOCs.",
                xpath: "/coverage/spatial", principal: ["ivoid", "coverage"],
                columns: [
                    "ivoid": parent,
                    "coverage": Col(string, ".", "A geometry representing the area a resource contains data for; this should be tight at least with a resolution of degrees.", xtype: "moc"),
                    "ref_system_name": Col(string, "@frame", "The reference frame coverage is written in. This is currently reserved and fixed to NULL. Clients should always add a constraint to NULL for this to avoid matching non-celestial resources later."),
                ])
        case .stcTemporal:
            Table(
                description: "The temporal coverage of resources, as intervals of MJD.",
                xpath: "/coverage/temporal", principal: ["ivoid", "time_start", "time_end"],
                columns: [
                    "ivoid": parent,
                    "time_start": Col(.real, ".", "Lower limit of a time interval covered by the resource.", unit: "d"),
                    "time_end": Col(.real, ".", "Upper limit of a time interval covered by the resource.", unit: "d"),
                ])
        case .stcSpectral:
            Table(
                description: "The spectral coverage of resources, as intervals of messenger energy.",
                xpath: "/coverage/spectral", principal: ["ivoid", "spectral_start", "spectral_end"],
                columns: [
                    "ivoid": parent,
                    "spectral_start": Col(.real, ".", "Lower limit of an energy interval covered by the resource (for the solar system barycenter).", unit: "J"),
                    "spectral_end": Col(.real, ".", "Upper limit of an energy interval covered by the resource (for the solar system barycenter).", unit: "J"),
                ])
        }
    }

    /// rr.tap_table: tables of TAP services, with the resource they belong to.
    static func tapTable(sqlName: String) -> ADQLTable {
        func c(_ name: String, _ type: ADQLType, _ d: String, indexed: Bool = false) -> ADQLColumn {
            ADQLColumn(name: name, type: type, description: d, principal: true, indexed: indexed, std: true)
        }
        return ADQLTable(
            schema: "rr", name: "tap_table", sqlName: sqlName,
            description: "Tables queriable through TAP services: the tables in the tablesets of TAP services, and the tables of resources declaring that a TAP service serves them (isservedby). svcid is the TAP service, resid the resource describing the table.",
            utype: nil,
            columns: [
                c("svcid", string, "The IVOA identifier of the TAP service the table can be queried through."),
                c("resid", string, "The IVOA identifier of the resource the table metadata comes from."),
                c("table_name", string, "The fully qualified name of the table, as used in ADQL queries on the service."),
                c("table_title", string, "A descriptive, human-interpretable name for the table."),
                c("table_description", string, "A free-text description of the table's contents."),
                c("table_utype", string, "An identifier for a concept in a data model that the data in this table as a whole represent."),
                c("table_type", string, "A name for the role this table plays (output, base_table, view, ...)."),
                c("nrows", .bigint, "The approximate number of rows in the table."),
            ])
    }
}
