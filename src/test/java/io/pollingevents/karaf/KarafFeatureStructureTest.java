package io.pollingevents.karaf;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Structural check of the OSGi packaging against the real Camel Karaf features file, since a Karaf container is not
 * available to the build. Inputs:
 * <ul>
 *   <li>the bundle manifest (target/classes/META-INF/MANIFEST.MF, written by maven-bundle-plugin at process-classes);</li>
 *   <li>the filtered features file (target/feature/features.xml);</li>
 *   <li>Camel Karaf {@value #CAMEL_KARAF_VERSION}'s features file, {@value #CAMEL_KARAF_REPOSITORY}: a test dependency of
 *       the pom, whose local path Maven passes in the system property {@value #CAMEL_KARAF_PROPERTY}. Without it (run
 *       outside Maven, or the artifact missing) the checks that need it are skipped.</li>
 * </ul>
 * Every mandatory Import-Package must be provided by the JDK, by the Karaf container, by a bundle the feature lists, or
 * by a bundle of the Camel Karaf features the feature requires (followed transitively through the real file). The
 * packages of a Camel Karaf bundle are those of the matching jar on this project's runtime classpath
 * (target/runtime-classpath.txt): mvn:org.apache.camel.karaf/camel-X repackages org.apache.camel:camel-X, and the
 * third-party bundles are the same artifacts at the versions the Camel Karaf file names.
 */
class KarafFeatureStructureTest {
    static final String CAMEL_KARAF_VERSION = "4.14.5";
    static final String CAMEL_KARAF_REPOSITORY = "mvn:org.apache.camel.karaf/apache-camel/" + CAMEL_KARAF_VERSION + "/xml/features";
    static final String CAMEL_KARAF_PROPERTY = "camelKaraf.features";
    /** The range of Camel versions Camel Karaf 4.14.x provides; the features and the manifest use it. */
    private static final String CAMEL_RANGE = "[4.14,4.15)";

    private static final Path MANIFEST = Path.of("target", "classes", "META-INF", "MANIFEST.MF");
    private static final Path FEATURES = Path.of("target", "feature", "features.xml");
    private static final Path CLASSPATH = Path.of("target", "runtime-classpath.txt");

    /**
     * Features the Camel Karaf file requires without defining them: Karaf's own standard features (Karaf 4.4.8 or later,
     * the version Camel Karaf 4.14.5 is built against). Anything else would need a feature repository this feature
     * does not declare.
     */
    private static final Map<String, String> KARAF_STANDARD_FEATURES = Map.of(
            "wrap", "pax-url-wrap, for the wrap: bundles",
            "aries-blueprint", "Aries Blueprint, required by camel-blueprint",
            "spifly", "Aries SPI Fly, required by jackson and the Vert.x features",
            "scr", "Felix SCR",
            "http-whiteboard", "Pax Web whiteboard");
    /** Packages the Karaf container itself exports: pax-logging (slf4j), Aries Blueprint (via camel-blueprint). */
    private static final Map<String, String> KARAF_RUNTIME = Map.of(
            "org.slf4j", "pax-logging-api (Karaf's logging; exports org.slf4j 2.x on Karaf 4.4+)",
            "org.osgi.service.blueprint", "aries-blueprint (required by camel-blueprint)");

    private static Attributes manifest;
    private static Document features;
    private static List<Path> runtimeClasspath;
    private static Document camelKaraf;

    @BeforeAll
    static void load() throws Exception {
        assertThat(MANIFEST).as("run `mvn process-classes` (maven-bundle-plugin writes the manifest)").exists();
        assertThat(FEATURES).as("run `mvn process-resources` (filters src/main/feature/features.xml)").exists();
        assertThat(CLASSPATH).as("run `mvn generate-test-resources` (writes the runtime classpath)").exists();
        try (InputStream in = Files.newInputStream(MANIFEST)) {
            manifest = new Manifest(in).getMainAttributes();
        }
        features = parse(FEATURES);
        runtimeClasspath = Pattern.compile(java.io.File.pathSeparator).splitAsStream(Files.readString(CLASSPATH).trim())
                .filter(s -> !s.isBlank()).map(Path::of).toList();
    }

    /** Camel Karaf's features file, or the test is skipped (aborted) with the reason. */
    private static Document camelKaraf() throws Exception {
        if (camelKaraf == null) {
            String location = System.getProperty(CAMEL_KARAF_PROPERTY);
            boolean available = location != null && !location.isBlank() && !location.startsWith("${")
                    && Files.isRegularFile(Path.of(location));
            assumeTrue(available, () -> "Camel Karaf " + CAMEL_KARAF_VERSION + " features file not available (run through Maven, "
                    + "which fetches org.apache.camel.karaf:apache-camel:" + CAMEL_KARAF_VERSION + ":xml:features; system property "
                    + CAMEL_KARAF_PROPERTY + (location == null || location.isBlank() ? " unset" : "=" + location) + "); skipping");
            camelKaraf = parse(Path.of(location));
            assertThat(camelKaraf.getDocumentElement().getAttribute("name"))
                    .as("%s=%s is not Camel Karaf %s's features file", CAMEL_KARAF_PROPERTY, location, CAMEL_KARAF_VERSION)
                    .isEqualTo("camel-" + CAMEL_KARAF_VERSION);
        }
        return camelKaraf;
    }

    @Test
    void manifestHasTheOsgiHeadersAndCamelImportRange() {
        assertThat(manifest.getValue("Bundle-ManifestVersion")).isEqualTo("2");
        assertThat(manifest.getValue("Bundle-SymbolicName")).isEqualTo("io.pollingevents");
        assertThat(manifest.getValue("Bundle-Version")).isEqualTo(osgiVersion(projectVersion()));
        assertThat(manifest.getValue("Bundle-Blueprint")).contains("OSGI-INF/blueprint/polling-events.xml");
        Set<String> exported = clauses(manifest.getValue("Export-Package")).stream().map(Clause::name).collect(Collectors.toSet());
        assertThat(exported).contains("io.pollingevents", "io.pollingevents.store", "io.pollingevents.api");
        List<Clause> camel = camelImports();
        assertThat(camel).isNotEmpty();
        for (Clause c : camel) {
            assertThat(c.attribute("version")).as("Import-Package %s must carry version=\"%s\" (pom.xml, maven-bundle-plugin)",
                    c.name(), CAMEL_RANGE).isEqualTo(CAMEL_RANGE);
        }
        assertThat(manifest.getValue("Main-Class")).as("java -jar keeps working").isEqualTo("io.pollingevents.Application");
    }

    @Test
    void camelImportRangeIsTheOneCamelKarafProvides() throws Exception {
        Map<String, List<Element>> defined = definedFeatures(camelKaraf());
        String camelVersion = newest(defined.get("camel-core"), null)
                .orElseThrow(() -> new AssertionError("Camel Karaf's file defines no camel-core feature")).getAttribute("version");
        // the range Camel Karaf's own features require camel-core at, e.g. camel-blueprint -> camel-core [4.14,4.15)
        // (camel-quickfix and camel-smb name the plain version 4.14.5 instead; that says nothing about the range)
        Set<String> karafRanges = new TreeSet<>();
        for (List<Element> versions : defined.values()) {
            for (Element f : versions) {
                for (Element dep : children(f, "feature")) {
                    String v = dep.getAttribute("version");
                    if ("camel-core".equals(dep.getTextContent().trim()) && (v.startsWith("[") || v.startsWith("("))) {
                        karafRanges.add(dep.getAttribute("version"));
                    }
                }
            }
        }
        assertThat(karafRanges).as("the ranges Camel Karaf %s's features require camel-core at", CAMEL_KARAF_VERSION)
                .containsExactly(CAMEL_RANGE);
        for (Clause c : camelImports()) {
            String range = c.attribute("version");
            assertThat(range).as("Import-Package %s", c.name()).isNotNull();
            assertThat(inRange(camelVersion, range)).as("Import-Package %s;version=\"%s\" must accept Camel Karaf's Camel %s",
                    c.name(), range, camelVersion).isTrue();
            assertThat(inRange(nextMinor(camelVersion), range)).as("Import-Package %s;version=\"%s\" must not accept Camel %s, "
                    + "which Camel Karaf %s does not provide", c.name(), range, nextMinor(camelVersion), CAMEL_KARAF_VERSION).isFalse();
        }
    }

    @Test
    void featureFileUsesCamelKarafsRepositoryAndFeaturesThatExistInIt() throws Exception {
        Map<String, List<Element>> defined = definedFeatures(camelKaraf());
        Element root = features.getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo("http://karaf.apache.org/xmlns/features/v1.6.0");
        assertThat(childTexts(root, "repository")).as("features.xml <repository>").containsExactly(CAMEL_KARAF_REPOSITORY);
        Element feature = pollingEventsFeature();
        assertThat(feature.getAttribute("version")).isEqualTo(projectVersion());
        List<Element> required = children(feature, "feature");
        List<String> names = required.stream().map(e -> e.getTextContent().trim()).toList();
        assertThat(names).contains("camel-blueprint", "camel-quartz", "camel-http", "camel-jackson", "camel-yaml-dsl",
                "camel-platform-http-main", "camel-micrometer");
        for (Element dep : required) {
            String name = dep.getTextContent().trim();
            String range = dep.getAttribute("version").isEmpty() ? null : dep.getAttribute("version");
            assertThat(defined.containsKey(name)).as("feature polling-events requires %s, which Camel Karaf %s (%s) does not define",
                    name, CAMEL_KARAF_VERSION, CAMEL_KARAF_REPOSITORY).isTrue();
            assertThat(newest(defined.get(name), range)).as("feature %s: no version in %s in Camel Karaf %s (it defines %s)",
                    name, range, CAMEL_KARAF_VERSION, versions(defined.get(name))).isPresent();
            if (name.startsWith("camel")) {
                assertThat(range).as("feature %s is required at the Camel range", name).isEqualTo(CAMEL_RANGE);
            }
        }
        assertThat(childTexts(feature, "bundle")).as("the engine bundle at the pom version")
                .contains("mvn:io.pollingevents/polling-events/" + projectVersion());
    }

    @Test
    void everyFeatureTheClosureNeedsIsInCamelKarafOrKarafStandard() throws Exception {
        Closure closure = closure();
        assertThat(closure.features()).as("the Camel Karaf features polling-events installs").contains("camel-core");
        Set<String> missing = new TreeSet<>(closure.external());
        missing.removeAll(KARAF_STANDARD_FEATURES.keySet());
        assertThat(missing).as("features required (through Camel Karaf %s) that neither its file nor Karaf's standard features "
                + "define; features.xml would need another <repository>", CAMEL_KARAF_VERSION).isEmpty();
        // a library features.xml lists itself and Camel Karaf installs too must be the same version (no two copies)
        Map<String, String> camelArtifacts = new LinkedHashMap<>();
        for (String url : closure.bundles()) {
            Mvn m = Mvn.parse(url);
            camelArtifacts.put(m.group() + "/" + m.artifact(), m.version());
        }
        List<String> clashes = new ArrayList<>();
        for (String url : childTexts(pollingEventsFeature(), "bundle")) {
            Mvn m = Mvn.parse(url);
            String camels = camelArtifacts.get(m.group() + "/" + m.artifact());
            if (camels != null && !camels.equals(m.version())) {
                clashes.add(m.group() + "/" + m.artifact() + ": features.xml lists " + m.version() + ", Camel Karaf installs " + camels);
            }
        }
        assertThat(clashes).as("bundles features.xml lists at another version than Camel Karaf's features").isEmpty();
    }

    @Test
    void everyImportedPackageIsProvidedByTheJdkTheFeatureOrKaraf() throws Exception {
        Map<String, String> providers = new LinkedHashMap<>(); // package -> who provides it
        Map<String, String> providerVersions = new LinkedHashMap<>();
        for (Clause c : clauses(manifest.getValue("Export-Package"))) { // bnd also imports what the bundle exports (substitutable)
            providers.put(c.name(), "the engine bundle itself");
        }
        for (String bundle : childTexts(pollingEventsFeature(), "bundle")) {
            if (bundle.startsWith("mvn:io.pollingevents/")) {
                continue;
            }
            Mvn m = Mvn.parse(bundle);
            Path jar = locate(m.group(), m.artifact(), m.version()).orElseThrow(() -> new AssertionError(bundle + " listed in "
                    + "features.xml is neither on the runtime classpath nor in ~/.m2: use the version the pom resolves (mvn dependency:tree)"));
            try (JarFile jf = new JarFile(jar.toFile())) {
                Manifest mf = jf.getManifest();
                if (!m.wrap() && (mf == null || mf.getMainAttributes().getValue("Export-Package") == null)) {
                    fail(bundle + " is not an OSGi bundle (no Export-Package in " + jar.getFileName() + "): list it as wrap:" + bundle);
                }
            }
            addProvided(providers, providerVersions, m, jar, "feature bundle " + bundle);
        }
        Closure closure = closure();
        for (Map.Entry<String, String> e : closure.bundleFeature().entrySet()) {
            Mvn m = Mvn.parse(e.getKey());
            Optional<Path> jar = camelKarafJar(m);
            if (jar.isPresent()) { // a bundle with no local jar provides nothing the engine compiles against
                addProvided(providers, providerVersions, m, jar.get(),
                        "Camel Karaf feature " + e.getValue() + " (" + m.artifact() + " " + m.version() + ")");
            }
        }
        Set<String> jdk = jdkPackages();
        List<String> problems = new ArrayList<>();
        for (Clause c : imports()) {
            String p = c.name();
            if ("optional".equals(c.directive("resolution"))) {
                continue;
            }
            if (p.startsWith("java.") || p.startsWith("javax.") || p.startsWith("org.w3c.") || p.startsWith("org.xml.")
                    || p.startsWith("org.ietf.") || p.equals("sun.misc") || p.startsWith("com.sun.")) {
                if (!jdk.contains(p)) {
                    problems.add(p + ": looks like a JDK package but the running JDK has no such package; import it with "
                            + "resolution:=optional in the maven-bundle-plugin Import-Package or stop using it");
                }
                continue;
            }
            if (KARAF_RUNTIME.keySet().stream().anyMatch(k -> p.equals(k) || p.startsWith(k + "."))) {
                continue;
            }
            String provider = providers.get(p);
            if (provider == null) {
                problems.add(p + ": no bundle of feature polling-events and no Camel Karaf " + CAMEL_KARAF_VERSION + " feature it "
                        + "requires provides this package; add the Camel feature or a <bundle> (wrap: for a plain jar) to "
                        + "src/main/feature/features.xml, or import it with resolution:=optional in pom.xml if only standalone mode uses it");
                continue;
            }
            String range = c.attribute("version");
            String version = providerVersions.get(p);
            if (range != null && version != null && !inRange(version, range)) {
                problems.add(p + ": imported with version " + range + " but " + provider + " provides " + version
                        + "; align the versions in features.xml or the Import-Package range in pom.xml");
            }
        }
        if (!problems.isEmpty()) {
            fail("Import-Package entries of io.pollingevents not provided in Karaf:\n  " + String.join("\n  ", problems));
        }
    }

    // ---- the Camel Karaf closure of feature polling-events ----

    /**
     * What installing feature polling-events pulls in from Camel Karaf's file: the features (transitively, each at the
     * newest version its range allows), their bundles (url -> the feature naming it first) and the required features the
     * file does not define (Karaf's own).
     */
    record Closure(Set<String> features, Map<String, String> bundleFeature, Set<String> external) {
        Set<String> bundles() {
            return bundleFeature.keySet();
        }
    }

    private static Closure closure() throws Exception {
        Map<String, List<Element>> defined = definedFeatures(camelKaraf());
        Set<String> seen = new LinkedHashSet<>();
        Map<String, String> bundles = new LinkedHashMap<>();
        Set<String> external = new TreeSet<>();
        Deque<Element> todo = new ArrayDeque<>(children(pollingEventsFeature(), "feature"));
        while (!todo.isEmpty()) {
            Element dep = todo.poll();
            String name = dep.getTextContent().trim();
            String range = dep.getAttribute("version").isEmpty() ? null : dep.getAttribute("version");
            if (!defined.containsKey(name)) {
                external.add(name);
                continue;
            }
            Element f = newest(defined.get(name), range).orElseThrow(() -> new AssertionError("feature " + name + " " + range
                    + ": Camel Karaf " + CAMEL_KARAF_VERSION + " defines only " + versions(defined.get(name))));
            if (!seen.add(name + "/" + f.getAttribute("version"))) {
                continue;
            }
            todo.addAll(children(f, "feature")); // <conditional> content is left out: it installs only on a condition
            for (Element b : children(f, "bundle")) {
                bundles.putIfAbsent(b.getTextContent().trim(), name);
            }
        }
        Set<String> names = seen.stream().map(s -> s.substring(0, s.indexOf('/'))).collect(Collectors.toCollection(LinkedHashSet::new));
        return new Closure(names, bundles, external);
    }

    private static Map<String, List<Element>> definedFeatures(Document doc) {
        Map<String, List<Element>> out = new LinkedHashMap<>();
        for (Element f : children(doc.getDocumentElement(), "feature")) {
            out.computeIfAbsent(f.getAttribute("name"), k -> new ArrayList<>()).add(f);
        }
        return out;
    }

    /** The newest of these feature versions inside range (any when range is null). */
    private static Optional<Element> newest(List<Element> candidates, String range) {
        if (candidates == null) {
            return Optional.empty();
        }
        return candidates.stream()
                .filter(f -> range == null || inRange(f.getAttribute("version"), range))
                .max(Comparator.comparing(f -> parse(f.getAttribute("version")), KarafFeatureStructureTest::compare));
    }

    private static List<String> versions(List<Element> candidates) {
        return candidates == null ? List.of() : candidates.stream().map(f -> f.getAttribute("version")).toList();
    }

    /** The jar whose packages a Camel Karaf bundle exports: Camel's own jar for org.apache.camel.karaf/camel-*. */
    private static Optional<Path> camelKarafJar(Mvn m) {
        if (m.group().equals("org.apache.camel.karaf")) {
            return onRuntimeClasspath("org.apache.camel", m.artifact());
        }
        return locate(m.group(), m.artifact(), m.version()).or(() -> onRuntimeClasspath(m.group(), m.artifact()));
    }

    /**
     * Records the packages a bundle provides: its Export-Package (with versions) when it is a real OSGi bundle at exactly
     * that version, otherwise every package of the jar at the version of the mvn: url.
     */
    private static void addProvided(Map<String, String> providers, Map<String, String> versions, Mvn m, Path jar, String who)
            throws IOException {
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest mf = jf.getManifest();
            String exports = mf == null ? null : mf.getMainAttributes().getValue("Export-Package");
            boolean exact = jar.getFileName().toString().equals(m.artifact() + "-" + m.version() + ".jar");
            if (!m.wrap() && exports != null && exact) {
                for (Clause c : clauses(exports)) {
                    providers.putIfAbsent(c.name(), who);
                    versions.putIfAbsent(c.name(), c.attribute("version") == null ? "0.0.0" : c.attribute("version"));
                }
            } else {
                for (String p : packagesIn(jf)) {
                    providers.putIfAbsent(p, who);
                    versions.putIfAbsent(p, m.version());
                }
            }
        }
    }

    /** A features-file bundle url: [wrap:]mvn:group/artifact/version[/type[/classifier]][$instructions]. */
    record Mvn(boolean wrap, String group, String artifact, String version) {
        static Mvn parse(String url) {
            boolean wrap = url.startsWith("wrap:");
            String u = (wrap ? url.substring(5) : url).replaceFirst("\\$.*", "");
            if (!u.startsWith("mvn:")) {
                throw new AssertionError("not a mvn: bundle url: " + url);
            }
            String[] gav = u.substring(4).split("/");
            if (gav.length < 3) {
                throw new AssertionError("bundle url without group/artifact/version: " + url);
            }
            return new Mvn(wrap, gav[0], gav[1], gav[2]);
        }
    }

    // ---- helpers ----

    private static Document parse(Path xml) throws Exception {
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setNamespaceAware(true);
        return dbf.newDocumentBuilder().parse(xml.toFile());
    }

    private static List<Clause> imports() {
        return clauses(manifest.getValue("Import-Package"));
    }

    private static List<Clause> camelImports() {
        return imports().stream().filter(c -> c.name().equals("org.apache.camel") || c.name().startsWith("org.apache.camel.")).toList();
    }

    private static Element pollingEventsFeature() {
        for (Element e : children(features.getDocumentElement(), "feature")) {
            if ("polling-events".equals(e.getAttribute("name"))) {
                return e;
            }
        }
        throw new AssertionError("features.xml has no feature named polling-events");
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && tag.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<String> childTexts(Element parent, String tag) {
        return children(parent, tag).stream().map(e -> e.getTextContent().trim()).toList();
    }

    private static String projectVersion() {
        try {
            Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
            for (org.w3c.dom.Node n = pom.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals("version")) {
                    return e.getTextContent().trim();
                }
            }
        } catch (Exception e) {
            throw new AssertionError("cannot read pom.xml", e);
        }
        throw new AssertionError("pom.xml has no version");
    }

    private static String osgiVersion(String mavenVersion) {
        return mavenVersion.replace("-", ".");
    }

    private static String nextMinor(String version) {
        int[] v = parse(version);
        return v[0] + "." + (v[1] + 1) + ".0";
    }

    /** group:artifact:version as a jar on the runtime classpath or in ~/.m2. */
    private static Optional<Path> locate(String group, String artifact, String version) {
        String suffix = String.join("/", group.replace('.', '/'), artifact, version, artifact + "-" + version + ".jar");
        for (Path p : runtimeClasspath) {
            if (p.toString().replace('\\', '/').endsWith(suffix)) {
                return Optional.of(p);
            }
        }
        Path local = Path.of(System.getProperty("user.home"), ".m2", "repository").resolve(suffix);
        return Files.exists(local) ? Optional.of(local) : Optional.empty();
    }

    /** group:artifact at whatever version the runtime classpath has. */
    private static Optional<Path> onRuntimeClasspath(String group, String artifact) {
        String dir = "/" + group.replace('.', '/') + "/" + artifact + "/";
        return runtimeClasspath.stream().filter(p -> p.toString().replace('\\', '/').contains(dir)).findFirst();
    }

    private static Set<String> packagesIn(JarFile jar) {
        Set<String> out = new TreeSet<>();
        for (Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements(); ) {
            String name = en.nextElement().getName();
            if (name.endsWith(".class") && name.contains("/") && !name.startsWith("META-INF/")) {
                out.add(name.substring(0, name.lastIndexOf('/')).replace('/', '.'));
            }
        }
        return out;
    }

    private static Set<String> jdkPackages() {
        Set<String> out = new TreeSet<>();
        for (Module m : ModuleLayer.boot().modules()) {
            ModuleDescriptor d = m.getDescriptor();
            out.addAll(d.packages());
        }
        return out;
    }

    static boolean inRange(String version, String range) {
        int[] v = parse(version);
        String r = range.trim();
        if (!r.startsWith("[") && !r.startsWith("(")) {
            return compare(v, parse(r)) >= 0;
        }
        String[] ends = r.substring(1, r.length() - 1).split(",");
        int lo = compare(v, parse(ends[0]));
        int hi = compare(v, parse(ends[1]));
        return (r.startsWith("[") ? lo >= 0 : lo > 0) && (r.endsWith("]") ? hi <= 0 : hi < 0);
    }

    private static int[] parse(String version) {
        Matcher m = Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?").matcher(version.trim());
        if (!m.lookingAt()) {
            return new int[] {0, 0, 0};
        }
        int[] out = new int[3];
        for (int i = 0; i < 3; i++) {
            out[i] = m.group(i + 1) == null ? 0 : Integer.parseInt(m.group(i + 1));
        }
        return out;
    }

    private static int compare(int[] a, int[] b) {
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }

    /** One clause of an OSGi header: name;attr=value;directive:=value. */
    record Clause(String name, Map<String, String> attributes, Map<String, String> directives) {
        String attribute(String key) {
            return attributes.get(key);
        }

        String directive(String key) {
            return directives.get(key);
        }
    }

    static List<Clause> clauses(String header) {
        List<Clause> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        for (String part : splitOutsideQuotes(header, ',')) {
            List<String> items = splitOutsideQuotes(part, ';');
            Map<String, String> attrs = new LinkedHashMap<>();
            Map<String, String> dirs = new LinkedHashMap<>();
            List<String> names = new ArrayList<>();
            for (String item : items) {
                int dir = item.indexOf(":=");
                int eq = item.indexOf('=');
                if (dir > 0) {
                    dirs.put(item.substring(0, dir).trim(), unquote(item.substring(dir + 2)));
                } else if (eq > 0) {
                    attrs.put(item.substring(0, eq).trim(), unquote(item.substring(eq + 1)));
                } else {
                    names.add(item.trim());
                }
            }
            for (String n : names) {
                out.add(new Clause(n, attrs, dirs));
            }
        }
        return out;
    }

    private static String unquote(String s) {
        s = s.trim();
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static List<String> splitOutsideQuotes(String s, char sep) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (char ch : s.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
            }
            if (ch == sep && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        if (!cur.isEmpty()) {
            out.add(cur.toString());
        }
        return out.stream().map(String::trim).filter(x -> !x.isEmpty()).toList();
    }
}
