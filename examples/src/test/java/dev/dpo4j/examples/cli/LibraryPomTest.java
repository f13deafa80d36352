package dev.dpo4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The library modules must not force a libtorch build on their users: DJL loads a
 * {@code pytorch-native-*} jar found on the class path before it looks for CUDA, so one that came in
 * with dpo4j would put a user's GPU run on the CPU. Each library pom may name one for its own
 * tests only.
 */
class LibraryPomTest {

    @ParameterizedTest
    @ValueSource(strings = {"dpo-core", "dpo-data", "dpo-eval"})
    void nativeLibtorchIsTestScopeOnly(String module) throws Exception {
        Path pom = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent().resolve(module)
                .resolve("pom.xml");
        assertTrue(Files.isRegularFile(pom), "no pom at " + pom);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        List<String> natives = new ArrayList<>();
        NodeList dependencies = doc.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            String artifact = child(dependency, "artifactId");
            if (artifact.startsWith("pytorch-native") && !inDependencyManagement(dependency)) {
                natives.add(artifact);
                assertEquals("test", child(dependency, "scope"),
                        pom + ": " + artifact + " must be <scope>test</scope> (a library must not choose the"
                                + " user's libtorch build)");
            }
        }
        assertTrue(natives.size() <= 1, pom + ": " + natives);
    }

    private static String child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return "";
    }

    private static boolean inDependencyManagement(Node node) {
        for (Node n = node.getParentNode(); n != null; n = n.getParentNode()) {
            if (n instanceof Element e && e.getTagName().equals("dependencyManagement")) {
                return true;
            }
        }
        return false;
    }
}
