import MetricsCore

/// Whole-body parsing into samples and metadata; a malformed line rejects the whole scrape.
public enum Exposition {
    public static func parse(
        _ bytes: [UInt8], format: ExpositionFormat, limits: ExpositionLimits = .default,
        options: ExpositionOptions = .default
    ) throws(ExpositionError) -> ParsedScrape {
        try ExpositionPullParser.withParser(bytes, format: format, limits: limits, options: options) {
            (parser: inout ExpositionPullParser) throws(ExpositionError) -> ParsedScrape in
            try collect(&parser)
        }
    }

    public static func parse(
        _ bytes: UnsafeRawBufferPointer, format: ExpositionFormat, limits: ExpositionLimits = .default,
        options: ExpositionOptions = .default
    ) throws(ExpositionError) -> ParsedScrape {
        try ExpositionPullParser.withParser(bytes, format: format, limits: limits, options: options) {
            (parser: inout ExpositionPullParser) throws(ExpositionError) -> ParsedScrape in
            try collect(&parser)
        }
    }

    /// Any byte collection (`Data`, `ArraySlice<UInt8>`…); contiguous ones are parsed in place.
    public static func parse<Bytes: Collection<UInt8>>(
        _ bytes: Bytes, format: ExpositionFormat, limits: ExpositionLimits = .default,
        options: ExpositionOptions = .default
    ) throws(ExpositionError) -> ParsedScrape {
        let inPlace: Result<ParsedScrape, ExpositionError>? = bytes.withContiguousStorageIfAvailable { buffer in
            do throws(ExpositionError) {
                return .success(try parse(UnsafeRawBufferPointer(buffer), format: format, limits: limits, options: options))
            } catch { return .failure(error) }
        }
        if let inPlace { return try inPlace.get() }
        return try parse(Array(bytes), format: format, limits: limits, options: options)
    }

    public static func parse(
        _ text: String, format: ExpositionFormat, limits: ExpositionLimits = .default,
        options: ExpositionOptions = .default
    ) throws(ExpositionError) -> ParsedScrape {
        try parse(Array(text.utf8), format: format, limits: limits, options: options)
    }

    /// `parse` with the text format's line fast path off or on, for tests comparing the two.
    static func parse(
        _ bytes: [UInt8], format: ExpositionFormat, limits: ExpositionLimits, fastPath: Bool
    ) throws(ExpositionError) -> ParsedScrape {
        try ExpositionPullParser.withParser(bytes, format: format, limits: limits) {
            (parser: inout ExpositionPullParser) throws(ExpositionError) -> ParsedScrape in
            parser.fastPathEnabled = fastPath
            return try collect(&parser)
        }
    }

    static func collect(_ parser: inout ExpositionPullParser) throws(ExpositionError) -> ParsedScrape {
        var scrape = ParsedScrape(format: parser.format)
        scrape.samples.reserveCapacity(parser.end / 64)
        var builder = LabelBuilder(bodySize: parser.end)
        while let entry = try parser.next() {
            switch entry {
            case .sample:
                if parser.isCreatedSeries && !parser.options.keepCreatedSeries { continue }
                let labels = builder.labels(of: parser)
                scrape.samples.append(ParsedSample(labels: labels, value: parser.value, timestamp: parser.timestamp))
            case .help:
                scrape.metadata[parser.metadataName, default: FamilyMetadata()].help = parser.helpText
            case .type:
                scrape.metadata[parser.metadataName, default: FamilyMetadata()].type = parser.metricType
            case .unit:
                scrape.metadata[parser.metadataName, default: FamilyMetadata()].unit = parser.unitText
            case .eof:
                break
            }
        }
        return scrape
    }
}
