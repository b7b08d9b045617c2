import BenchSupport
import Foundation

// Usage:
//   LookoutBench generate FILE BYTES      write a generated text body of about BYTES bytes
//   LookoutBench parse FILE [SECONDS]     parse FILE repeatedly, print "mbps=… samples=… bytes=…"
//   LookoutBench pull FILE [SECONDS]      the same with the pull parser only (no Labels built)
//   LookoutBench scrape FILE [SECONDS] [--repeated]
//                                         the scraper's path (parser, scrape cache, store) in process:
//                                         each round a first scrape into a new store, or with
//                                         --repeated the same target again a second later
//   LookoutBench ingest [SCRAPES] [--noisy]  ingest the node_exporter fixture, print samples/s and bytes/sample
//   LookoutBench query [STEPS]            STEPS times: one more scrape of a 432-series histogram, then the
//                                         dashboard's quantile-per-handler query over it (for callgrind)
let args = CommandLine.arguments
func die(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

do {
    switch args.dropFirst().first {
    case "generate":
        guard args.count == 4, let n = Int(args[3]) else { die("usage: LookoutBench generate FILE BYTES") }
        try Data(BenchSupport.generateBody(bytes: n)).write(to: URL(fileURLWithPath: args[2]))
    case "parse", "pull":
        guard args.count >= 3 else { die("usage: LookoutBench parse|pull FILE [SECONDS]") }
        let body = [UInt8](try Data(contentsOf: URL(fileURLWithPath: args[2])))
        let seconds = args.count > 3 ? Double(args[3]) ?? 2 : 2
        let (mbps, samples) = args[1] == "pull"
            ? try BenchSupport.pullThroughput(body, minSeconds: seconds)
            : try BenchSupport.parseThroughput(body, minSeconds: seconds)
        print("mbps=\(String(format: "%.1f", mbps)) samples=\(samples) bytes=\(body.count)")
    case "scrape":
        guard args.count >= 3 else { die("usage: LookoutBench scrape FILE [SECONDS] [--repeated]") }
        let body = [UInt8](try Data(contentsOf: URL(fileURLWithPath: args[2])))
        let seconds = args.count > 3 ? Double(args[3]) ?? 2 : 2
        let (mbps, samples) = try BenchSupport.scrapeThroughput(body, minSeconds: seconds, repeated: args.contains("--repeated"))
        print("mbps=\(String(format: "%.1f", mbps)) samples=\(samples) bytes=\(body.count)")
    case "ingest":
        let scrapes = args.count > 2 ? Int(args[2]) ?? 480 : 480
        let noisy = args.contains("--noisy")
        let (rate, stats) = try BenchSupport.ingest(try BenchSupport.nodeExporterBody(), scrapes: scrapes, noisy: noisy)
        print(String(format: "samples_per_second=%.0f series=%d samples=%d bytes_per_sample=%.2f total_bytes_per_sample=%.2f",
                     rate, stats.seriesCount, stats.sampleCount, stats.bytesPerSample, stats.totalBytesPerSample))
    case "query":
        let steps = args.count > 2 ? Int(args[2]) ?? 100 : 100
        var bench = try HistogramQueryBench()
        var series = 0
        for _ in 0..<steps {
            bench.scrape()
            series = try bench.evaluate()
        }
        print("steps=\(steps) series=\(series)")
    default:
        die("usage: LookoutBench generate|parse|pull|scrape|ingest|query …")
    }
} catch {
    die("error: \(error)")
}
