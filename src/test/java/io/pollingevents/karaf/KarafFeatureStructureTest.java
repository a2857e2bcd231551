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
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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

/**
 * Structural check of the OSGi packaging, since Camel Karaf's runtime bundles are not available to the build:
 * the bundle manifest (target/classes/META-INF/MANIFEST.MF, written by maven-bundle-plugin at process-classes)
 * and the filtered features file (target/feature/features.xml). Every mandatory Import-Package must be provided
 * by the JDK, by a bundle the feature lists, or by a Camel Karaf feature the feature requires. What a Camel Karaf
 * feature provides is approximated by the Camel artifacts (and their libraries) on this project's runtime classpath
 * (target/runtime-classpath.txt); Camel Karaf repackages exactly those artifacts as bundles.
 */
class KarafFeatureStructureTest {
    private static final Path MANIFEST = Path.of("target", "classes", "META-INF", "MANIFEST.MF");
    private static final Path FEATURES = Path.of("target", "feature", "features.xml");
    private static final Path CLASSPATH = Path.of("target", "runtime-classpath.txt");
    private static final String CAMEL_RANGE = "[4.14,5)";

    /** Jars (file name prefixes on the runtime classpath) each Camel Karaf feature brings. */
    private static final Map<String, List<String>> CAMEL_FEATURE_JARS = new LinkedHashMap<>();
    /** Every Camel Karaf feature depends on camel-core (see the feature names file's source). */
    private static final List<String> CAMEL_CORE_JARS = List.of("camel-api-", "camel-base-", "camel-base-engine-",
            "camel-core-engine-", "camel-core-model-", "camel-core-reifier-", "camel-core-processor-", "camel-core-languages-",
            "camel-support-", "camel-util-", "camel-util-json-", "camel-management-api-", "camel-main-", "camel-rest-",
            "camel-bean-", "camel-direct-", "camel-seda-", "camel-scheduler-", "camel-health-", "camel-cluster-",
            "camel-cloud-", "camel-file-", "camel-xml-jaxp-util-", "commons-codec-");
    /** Packages the Karaf container itself exports: pax-logging (slf4j), Aries Blueprint (via camel-blueprint). */
    private static final Map<String, String> KARAF_RUNTIME = Map.of(
            "org.slf4j", "pax-logging-api (Karaf's logging; exports org.slf4j 2.x on Karaf 4.4+)",
            "org.osgi.service.blueprint", "aries-blueprint (required by camel-blueprint)");

    static {
        CAMEL_FEATURE_JARS.put("camel", CAMEL_CORE_JARS);
        CAMEL_FEATURE_JARS.put("camel-core", CAMEL_CORE_JARS);
        CAMEL_FEATURE_JARS.put("camel-blueprint", CAMEL_CORE_JARS);
        CAMEL_FEATURE_JARS.put("camel-quartz", List.of("camel-quartz-", "quartz-"));
        CAMEL_FEATURE_JARS.put("camel-http", List.of("camel-http-", "camel-http-base-", "camel-http-common-", "camel-attachments-",
                "httpclient5-", "httpcore5-", "httpcore5-h2-"));
        CAMEL_FEATURE_JARS.put("camel-jackson", List.of("camel-jackson-", "jackson-core-", "jackson-databind-", "jackson-annotations-"));
        CAMEL_FEATURE_JARS.put("camel-yaml-dsl", List.of("camel-yaml-dsl-", "camel-yaml-dsl-common-", "camel-yaml-dsl-deserializers-",
                "camel-dsl-support-", "snakeyaml-engine-"));
        CAMEL_FEATURE_JARS.put("camel-platform-http", List.of("camel-platform-http-"));
        CAMEL_FEATURE_JARS.put("camel-platform-http-vertx", List.of("camel-platform-http-", "camel-platform-http-vertx-",
                "camel-vertx-common-", "camel-attachments-", "vertx-", "netty-"));
        CAMEL_FEATURE_JARS.put("camel-platform-http-main", List.of("camel-platform-http-main-", "camel-platform-http-",
                "camel-platform-http-vertx-", "camel-vertx-common-", "vertx-", "netty-"));
        CAMEL_FEATURE_JARS.put("camel-micrometer", List.of("camel-micrometer-", "micrometer-core-", "micrometer-commons-",
                "micrometer-observation-", "HdrHistogram-", "LatencyUtils-"));
        CAMEL_FEATURE_JARS.put("camel-micrometer-prometheus", List.of("camel-micrometer-prometheus-", "micrometer-registry-prometheus-",
                "prometheus-metrics-", "jandex-"));
    }

    private static Attributes manifest;
    private static Document features;
    private static List<Path> runtimeClasspath;

    @BeforeAll
    static void load() throws Exception {
        assertThat(MANIFEST).as("run `mvn process-classes` (maven-bundle-plugin writes the manifest)").exists();
        assertThat(FEATURES).as("run `mvn process-resources` (filters src/main/feature/features.xml)").exists();
        assertThat(CLASSPATH).as("run `mvn generate-test-resources` (writes the runtime classpath)").exists();
        try (InputStream in = Files.newInputStream(MANIFEST)) {
            manifest = new Manifest(in).getMainAttributes();
        }
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        dbf.setNamespaceAware(true);
        features = dbf.newDocumentBuilder().parse(FEATURES.toFile());
        runtimeClasspath = Pattern.compile(java.io.File.pathSeparator).splitAsStream(Files.readString(CLASSPATH).trim())
                .filter(s -> !s.isBlank()).map(Path::of).toList();
    }

    @Test
    void manifestHasTheOsgiHeadersAndCamelImportRange() {
        assertThat(manifest.getValue("Bundle-ManifestVersion")).isEqualTo("2");
        assertThat(manifest.getValue("Bundle-SymbolicName")).isEqualTo("io.pollingevents");
        assertThat(manifest.getValue("Bundle-Version")).isEqualTo(osgiVersion(projectVersion()));
        assertThat(manifest.getValue("Bundle-Blueprint")).contains("OSGI-INF/blueprint/polling-events.xml");
        Set<String> exported = clauses(manifest.getValue("Export-Package")).stream().map(Clause::name).collect(Collectors.toSet());
        assertThat(exported).contains("io.pollingevents", "io.pollingevents.store", "io.pollingevents.api");
        List<Clause> camel = imports().stream().filter(c -> c.name().startsWith("org.apache.camel")).toList();
        assertThat(camel).isNotEmpty();
        for (Clause c : camel) {
            assertThat(c.attribute("version")).as("Import-Package %s must carry version=\"%s\"", c.name(), CAMEL_RANGE)
                    .isEqualTo(CAMEL_RANGE);
        }
        assertThat(manifest.getValue("Main-Class")).as("java -jar keeps working").isEqualTo("io.pollingevents.Application");
    }

    @Test
    void featureFileNamesTheCamelRepositoryKnownFeaturesAndThisBundle() throws IOException {
        Element root = features.getDocumentElement();
        assertThat(root.getNamespaceURI()).isEqualTo("http://karaf.apache.org/xmlns/features/v1.6.0");
        assertThat(texts(root, "repository")).contains("mvn:org.apache.camel.karaf/apache-camel/4.14.0/xml/features");
        Element feature = pollingEventsFeature();
        assertThat(feature.getAttribute("version")).isEqualTo(projectVersion());
        Set<String> known = Files.readAllLines(Path.of("src/test/resources/karaf/camel-karaf-4.14-feature-names.txt")).stream()
                .map(String::trim).filter(s -> !s.isEmpty() && !s.startsWith("#")).collect(Collectors.toSet());
        List<String> required = childTexts(feature, "feature");
        assertThat(required).contains("camel-blueprint", "camel-quartz", "camel-http", "camel-jackson", "camel-yaml-dsl",
                "camel-micrometer");
        assertThat(required).anyMatch(n -> n.startsWith("camel-platform-http"));
        for (String name : required) {
            assertThat(known).as("feature %s is not a Camel Karaf 4.14 feature name (camel-karaf-4.14-feature-names.txt)", name)
                    .contains(name);
            assertThat(CAMEL_FEATURE_JARS).as("no jar mapping for Camel feature %s in this test", name).containsKey(name);
        }
        assertThat(childTexts(feature, "bundle")).as("the engine bundle at the pom version")
                .contains("mvn:io.pollingevents/polling-events/" + projectVersion());
    }

    @Test
    void everyImportedPackageIsProvidedByTheJdkTheFeatureOrKaraf() throws IOException {
        Map<String, String> providers = new LinkedHashMap<>(); // package -> who provides it
        Map<String, String> providerVersions = new LinkedHashMap<>();
        for (Clause c : clauses(manifest.getValue("Export-Package"))) { // bnd also imports what the bundle exports (substitutable)
            providers.put(c.name(), "the engine bundle itself");
        }
        Element feature = pollingEventsFeature();
        for (String bundle : childTexts(feature, "bundle")) {
            if (bundle.startsWith("mvn:io.pollingevents/")) {
                continue;
            }
            boolean wrap = bundle.startsWith("wrap:");
            String url = (wrap ? bundle.substring(5) : bundle).replaceFirst("\\$.*", "");
            String[] gav = url.substring(4).split("/");
            Path jar = locate(gav[0], gav[1], gav[2]);
            try (JarFile jf = new JarFile(jar.toFile())) {
                Manifest m = jf.getManifest();
                String exports = m == null ? null : m.getMainAttributes().getValue("Export-Package");
                if (!wrap && exports == null) {
                    fail(bundle + " is not an OSGi bundle (no Export-Package in " + jar.getFileName() + "): list it as wrap:" + bundle);
                }
                if (wrap || exports == null) {
                    for (String p : packagesIn(jf)) {
                        providers.putIfAbsent(p, "feature bundle " + bundle);
                        providerVersions.putIfAbsent(p, gav[2]);
                    }
                } else {
                    for (Clause c : clauses(exports)) {
                        providers.putIfAbsent(c.name(), "feature bundle " + bundle);
                        providerVersions.putIfAbsent(c.name(), c.attribute("version") == null ? "0.0.0" : c.attribute("version"));
                    }
                }
            }
        }
        Set<String> camelFeatures = new LinkedHashSet<>(childTexts(feature, "feature"));
        camelFeatures.add("camel-core"); // every Camel Karaf feature requires camel-core
        for (String name : camelFeatures) {
            for (String prefix : CAMEL_FEATURE_JARS.getOrDefault(name, List.of())) {
                for (Path jar : runtimeClasspath) {
                    String file = jar.getFileName().toString();
                    if (file.startsWith(prefix) && Character.isDigit(file.charAt(prefix.length()))) {
                        try (JarFile jf = new JarFile(jar.toFile())) {
                            for (String p : packagesIn(jf)) {
                                providers.putIfAbsent(p, "Camel Karaf feature " + name + " (" + file + ")");
                                providerVersions.putIfAbsent(p, file.substring(prefix.length()).replaceFirst("\\.jar$", ""));
                            }
                        }
                    }
                }
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
                problems.add(p + ": no bundle of feature polling-events and no Camel Karaf feature it requires provides this package; "
                        + "add the Camel feature or a <bundle> (wrap: for a plain jar) to src/main/feature/features.xml, "
                        + "or import it with resolution:=optional in pom.xml if only standalone mode uses it");
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

    // ---- helpers ----

    private static List<Clause> imports() {
        return clauses(manifest.getValue("Import-Package"));
    }

    private static Element pollingEventsFeature() {
        NodeList list = features.getDocumentElement().getElementsByTagNameNS("*", "feature");
        for (int i = 0; i < list.getLength(); i++) {
            Element e = (Element) list.item(i);
            if (e.getParentNode() == features.getDocumentElement() && "polling-events".equals(e.getAttribute("name"))) {
                return e;
            }
        }
        throw new AssertionError("features.xml has no feature named polling-events");
    }

    private static List<String> texts(Element parent, String tag) {
        NodeList list = parent.getElementsByTagNameNS("*", tag);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            out.add(list.item(i).getTextContent().trim());
        }
        return out;
    }

    private static List<String> childTexts(Element parent, String tag) {
        List<String> out = new ArrayList<>();
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && tag.equals(e.getLocalName())) {
                out.add(e.getTextContent().trim());
            }
        }
        return out;
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

    private static Path locate(String group, String artifact, String version) {
        String suffix = String.join("/", group.replace('.', '/'), artifact, version, artifact + "-" + version + ".jar");
        for (Path p : runtimeClasspath) {
            if (p.toString().replace('\\', '/').endsWith(suffix)) {
                return p;
            }
        }
        Path local = Path.of(System.getProperty("user.home"), ".m2", "repository").resolve(suffix);
        if (Files.exists(local)) {
            return local;
        }
        throw new AssertionError("mvn:" + group + "/" + artifact + "/" + version + " listed in features.xml is neither on the runtime "
                + "classpath nor in ~/.m2: use the version the pom resolves (mvn dependency:tree)");
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
