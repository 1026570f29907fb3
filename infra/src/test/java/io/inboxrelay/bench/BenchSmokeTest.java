package io.inboxrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark harness runs end to end at tiny sizes and reports numbers; no timing is asserted. */
class BenchSmokeTest {

    @Test
    void a_tiny_run_of_every_section_reports_numbers_and_loses_no_event() throws Exception {
        Report report = new Bench(Plan.tiny(), Path.of("..").toAbsolutePath().normalize(), Path.of("target/bench-smoke")).run();
        List<Report.Row> rows = report.rows();

        assertThat(rows).extracting(Report.Row::section)
                .contains("1 ingest", "2 fan-out", "3 end-to-end", "5 cost", "6 resume", "8 send");
        assertThat(rows).allSatisfy(row -> assertThat(row.result()).containsPattern("\\d"));
        Report.Row lost = rows.stream().filter(row -> row.metric().startsWith("lost")).findFirst().orElseThrow();
        assertThat(lost.result()).isEqualTo("0");
        Report.Row writes = rows.stream().filter(row -> row.metric().startsWith("write requests")).findFirst().orElseThrow();
        assertThat(writes.status()).isEqualTo(Report.Status.MET);
        Report.Row resume = rows.stream().filter(row -> row.section().equals("6 resume")).findFirst().orElseThrow();
        assertThat(resume.result()).contains("20 received, resumed count 20");
        assertThat(resume.status()).isEqualTo(Report.Status.MET);
        assertThat(rows).extracting(Report.Row::metric).anySatisfy(metric -> assertThat(metric).contains("ONE conversation"))
                .anySatisfy(metric -> assertThat(metric).contains("raw conditional PutItem"));
        Report.Row sent = rows.stream().filter(row -> row.metric().contains("message_status sent")).findFirst().orElseThrow();
        assertThat(sent.result()).contains("never sent 0, duplicate bubbles 0");
        assertThat(sent.status()).isEqualTo(Report.Status.MET);
        assertThat(report.markdown()).startsWith("| benchmark");
    }
}
