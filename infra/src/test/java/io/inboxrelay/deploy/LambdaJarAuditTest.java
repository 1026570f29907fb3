package io.inboxrelay.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The shaded Lambda jar that {@code sam build} ships (functions/target/*-lambda.jar, made in the functions
 * module's package phase, so present when {@code mvn verify} reaches this module): no Netty, no log4j, no
 * Apache HTTP client, and no artifact at a version infra/known-vulnerable.tsv lists as HIGH or CRITICAL.
 * The list is kept by hand (see its header): this check is only as current as it is.
 */
class LambdaJarAuditTest {

    /** What the jar must never contain, as artifacts and as classes (a dependency may shade them in). */
    static final List<String> BANNED_GROUPS = List.of("io.netty", "org.apache.logging.log4j", "log4j", "org.apache.httpcomponents");
    static final List<String> BANNED_CLASS_PREFIXES = List.of("io/netty/", "org/apache/logging/log4j/", "org/apache/log4j/",
            "org/apache/http/", "software/amazon/awssdk/http/nio/netty/", "software/amazon/awssdk/http/apache/");

    record Artifact(String group, String artifact, String version) {
        String key() {
            return group + ":" + artifact;
        }
    }

    record Advisory(String key, String range, String severity, String id, String what) {
        boolean blocking() {
            return severity.equals("HIGH") || severity.equals("CRITICAL");
        }
    }

    private static Path repositoryRoot() {
        String template = System.getProperty("template.file");
        return template != null ? Path.of(template).toAbsolutePath().getParent() : Path.of("..").toAbsolutePath().normalize();
    }

    private static Path lambdaJar() throws IOException {
        Path target = repositoryRoot().resolve("functions").resolve("target");
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "inbox-relay-functions-*-lambda.jar")) {
                for (Path jar : jars) {
                    return jar;
                }
            }
        }
        // A targeted run (-pl infra -am test) never packages functions; `mvn verify` and CI always do.
        Assumptions.assumeFalse("true".equals(System.getenv("CI")), "CI must audit the Lambda jar, but it was not built");
        Assumptions.abort("functions/target/*-lambda.jar is not built (run mvn verify)");
        return null;
    }

    static List<Advisory> advisories() throws IOException {
        List<Advisory> advisories = new ArrayList<>();
        for (String line : Files.readAllLines(repositoryRoot().resolve("infra").resolve("known-vulnerable.tsv"), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] columns = line.split("\t");
            assertThat(columns).as("columns of %s", line).hasSizeGreaterThanOrEqualTo(4);
            assertThat(columns[2]).as("severity of %s", line).isIn("CRITICAL", "HIGH", "MEDIUM", "LOW");
            advisories.add(new Advisory(columns[0], columns[1], columns[2], columns[3], columns.length > 4 ? columns[4] : ""));
        }
        return advisories;
    }

    /** The advisories that apply to the artifacts, as "group:artifact:version ADVISORY (SEVERITY) what". */
    static List<String> findings(List<Artifact> artifacts, List<Advisory> advisories, boolean blockingOnly) {
        List<String> findings = new ArrayList<>();
        for (Artifact artifact : artifacts) {
            for (Advisory advisory : advisories) {
                if (advisory.key().equals(artifact.key()) && (!blockingOnly || advisory.blocking())
                        && VersionRange.parse(advisory.range()).contains(artifact.version())) {
                    findings.add(artifact.key() + ":" + artifact.version() + " " + advisory.id() + " (" + advisory.severity() + ") " + advisory.what());
                }
            }
        }
        return findings;
    }

    /** The artifacts shaded into the jar, from the pom.properties each one carries. */
    static List<Artifact> artifactsIn(JarFile jar) throws IOException {
        List<Artifact> artifacts = new ArrayList<>();
        for (JarEntry entry : Collections.list(jar.entries())) {
            if (entry.getName().startsWith("META-INF/maven/") && entry.getName().endsWith("/pom.properties")) {
                Properties properties = new Properties();
                try (InputStream in = jar.getInputStream(entry)) {
                    properties.load(in);
                }
                artifacts.add(new Artifact(properties.getProperty("groupId"), properties.getProperty("artifactId"), properties.getProperty("version")));
            }
        }
        return artifacts;
    }

    @Test
    void the_lambda_jar_holds_no_netty_log4j_or_apache_client_and_no_listed_high_severity_version() throws IOException {
        Path path = lambdaJar();
        try (JarFile jar = new JarFile(path.toFile())) {
            List<Artifact> artifacts = artifactsIn(jar);
            assertThat(artifacts).as("artifacts recorded in %s", path).extracting(Artifact::key)
                    .contains("com.fasterxml.jackson.core:jackson-databind", "software.amazon.awssdk:dynamodb", "software.amazon.awssdk:kms");
            assertThat(artifacts).as("banned artifacts in the Lambda jar")
                    .noneMatch(a -> BANNED_GROUPS.contains(a.group()) || a.artifact().equals("netty-nio-client") || a.artifact().equals("apache-client"));
            TreeSet<String> bannedClasses = new TreeSet<>();
            Collections.list(jar.entries()).forEach(entry -> BANNED_CLASS_PREFIXES.stream()
                    .filter(prefix -> entry.getName().startsWith(prefix)).forEach(bannedClasses::add));
            assertThat(bannedClasses).as("packages of Netty, log4j or an Apache HTTP client in the Lambda jar").isEmpty();

            List<Advisory> advisories = advisories();
            System.out.println("=== Lambda jar audit: " + artifacts.size() + " artifacts, " + advisories.size() + " known advisories");
            artifacts.stream().map(a -> "  " + a.key() + ":" + a.version()).sorted().forEach(System.out::println);
            findings(artifacts, advisories, false).forEach(finding -> System.out.println("  advisory: " + finding));
            assertThat(findings(artifacts, advisories, true)).as("HIGH/CRITICAL advisories in the Lambda jar").isEmpty();
        }
    }

    @Test
    void the_audit_catches_a_listed_version_and_lets_a_patched_one_pass() throws IOException {
        List<Advisory> advisories = advisories();
        List<Artifact> vulnerable = List.of(
                new Artifact("com.fasterxml.jackson.core", "jackson-databind", "2.13.2"),
                new Artifact("org.apache.logging.log4j", "log4j-core", "2.14.1"),
                new Artifact("io.netty", "netty-codec-http2", "4.1.99.Final"),
                new Artifact("com.nimbusds", "nimbus-jose-jwt", "9.31"));
        assertThat(findings(vulnerable, advisories, true)).anyMatch(f -> f.contains("CVE-2022-42003")).anyMatch(f -> f.contains("CVE-2021-44228"))
                .anyMatch(f -> f.contains("CVE-2023-44487")).anyMatch(f -> f.contains("CVE-2023-52428"));
        List<Artifact> patched = List.of(
                new Artifact("com.fasterxml.jackson.core", "jackson-databind", "2.23.0"),
                new Artifact("com.fasterxml.jackson.core", "jackson-core", "2.23.0"),
                new Artifact("io.netty", "netty-codec-http2", "4.1.100.Final"),
                new Artifact("com.nimbusds", "nimbus-jose-jwt", "10.10"));
        assertThat(findings(patched, advisories, true)).isEmpty();
    }

    @Test
    void versions_compare_as_maven_compares_them() {
        assertThat(VersionRange.parse("[,4.1.100.Final)").contains("4.1.99.Final")).isTrue();
        assertThat(VersionRange.parse("[,4.1.100.Final)").contains("4.1.100.Final")).isFalse();
        assertThat(VersionRange.parse("[,2.12.6.1)").contains("2.12.6")).isTrue();
        assertThat(VersionRange.parse("[,2.12.6.1)").contains("2.12.10")).isFalse();
        assertThat(VersionRange.parse("[2.13.0,2.13.4.2)").contains("2.13.4.1")).isTrue();
        assertThat(VersionRange.parse("[2.13.0,2.13.4.2)").contains("2.12.7")).isFalse();
        assertThat(VersionRange.parse("[,2.0)").contains("1.33")).isTrue();
        assertThat(VersionRange.parse("[,2.0)").contains("2.0")).isFalse();
        assertThat(VersionRange.parse("(,2.0]").contains("2.0")).isTrue();
        assertThat(VersionRange.parse("[,10.0.2)").contains("10.0.1")).isTrue();
        assertThat(VersionRange.parse("[,10.0.2)").contains("10.10")).isFalse();
    }

    /** A Maven version range with optional bounds; numeric parts compare as numbers, a Final/GA/RELEASE qualifier counts as none. */
    record VersionRange(String from, boolean fromInclusive, String to, boolean toInclusive) {

        static VersionRange parse(String text) {
            String inner = text.substring(1, text.length() - 1);
            int comma = inner.indexOf(',');
            return new VersionRange(inner.substring(0, comma).trim(), text.startsWith("["), inner.substring(comma + 1).trim(), text.endsWith("]"));
        }

        boolean contains(String version) {
            if (!from.isEmpty()) {
                int c = compare(version, from);
                if (c < 0 || (c == 0 && !fromInclusive)) {
                    return false;
                }
            }
            if (!to.isEmpty()) {
                int c = compare(version, to);
                return c < 0 || (c == 0 && toInclusive);
            }
            return true;
        }

        static int compare(String a, String b) {
            List<String> x = parts(a);
            List<String> y = parts(b);
            for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
                String p = i < x.size() ? x.get(i) : "0";
                String q = i < y.size() ? y.get(i) : "0";
                boolean pn = p.chars().allMatch(Character::isDigit);
                boolean qn = q.chars().allMatch(Character::isDigit);
                int c;
                if (pn && qn) {
                    c = new java.math.BigInteger(p).compareTo(new java.math.BigInteger(q));
                } else if (pn != qn) {
                    // 1.0-beta < 1.0 = 1.0.0: a qualifier sorts before a number
                    c = pn ? 1 : -1;
                } else {
                    c = p.compareToIgnoreCase(q);
                }
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        }

        private static List<String> parts(String version) {
            List<String> parts = new ArrayList<>();
            for (String part : version.split("[.-]")) {
                if (!part.isEmpty() && !part.equalsIgnoreCase("Final") && !part.equalsIgnoreCase("GA") && !part.equalsIgnoreCase("RELEASE")) {
                    parts.add(part);
                }
            }
            return parts;
        }
    }
}
