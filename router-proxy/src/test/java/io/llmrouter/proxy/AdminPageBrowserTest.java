package io.llmrouter.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llmrouter.testing.LoopbackLlmServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin page ({@code GET /ui}) in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}), driven by Selenium against a real proxy on loopback. Skipped when
 * {@value #CHROMEDRIVER} is absent, except under {@code CI=true}, where it fails instead: CI
 * installs both packages ({@code .ci/run}).
 */
class AdminPageBrowserTest {

    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final String CHROMIUM = "/usr/bin/chromium";

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final MediaType JSON = MediaType.get("application/json");

    private LoopbackLlmServer upstream;
    private LoopbackProxy proxy;
    private ChromeDriver browser;
    private WebDriverWait wait;
    private final OkHttpClient http = ProxyLoad.httpClient(2);

    /** Kept so the level holds: Selenium warns at every start that it has no CDP classes for this Chromium. */
    private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

    @BeforeAll
    static void requireChromium() {
        SELENIUM_LOG.setLevel(Level.SEVERE);
        boolean present = Files.isExecutable(Path.of(CHROMEDRIVER)) && Files.isExecutable(Path.of(CHROMIUM));
        if ("true".equals(System.getenv("CI"))) {
            assertThat(present).as("CI must have %s and %s (apt-get install chromium chromium-driver)", CHROMIUM,
                    CHROMEDRIVER).isTrue();
        }
        assumeTrue(present, "no " + CHROMEDRIVER + " (apt-get install chromium chromium-driver): browser test skipped");
    }

    @BeforeEach
    void start(@TempDir Path profile, @TempDir Path data) throws Exception {
        upstream = LoopbackLlmServer.start();
        proxy = LoopbackProxy.start(upstream, data);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, WAIT);
        wait.ignoring(StaleElementReferenceException.class); // rows are rebuilt on every refresh
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            try {
                if (proxy != null) {
                    proxy.close();
                }
            } finally {
                if (upstream != null) {
                    upstream.close();
                }
            }
        }
    }

    @Test
    void givenMasterKey_whenKeyCreatedInPageAndUsed_thenPageShowsKeySpendHealthAndDeletesIt() throws Exception {
        // given: logged in with the master key
        logIn(ProxyLoad.MASTER_KEY);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("keys-view")));
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();

        // when: a key is created in the page ...
        browser.findElement(By.id("new-alias")).sendKeys("browser-key");
        browser.findElement(By.id("new-models")).sendKeys(ProxyLoad.MODEL);
        browser.findElement(By.id("new-max-budget")).sendKeys("5");
        browser.findElement(By.id("create")).click();
        wait.until(d -> d.findElement(By.id("new-key")).getText().startsWith("sk-"));
        String key = browser.findElement(By.id("new-key")).getText();
        WebElement row = wait.until(d -> keyRow("browser-key"));
        assertThat(row.getText()).contains(ProxyLoad.MODEL).contains("$5.00");

        // ... and used for a chat call over HTTP
        try (Response response = http.newCall(chat(key)).execute()) {
            assertThat(response.code()).as("chat with the new key").isEqualTo(200);
        }
        proxy.store().spendLog().flush();

        // then: the key's spend shows up (the spend log is written asynchronously: refresh until it does)
        String spend = wait.until(d -> {
            d.findElement(By.id("refresh")).click();
            WebElement r = keyRow("browser-key");
            String text = r == null ? "" : r.findElement(By.className("key-spend")).getText();
            return text.startsWith("$0 ") || text.isEmpty() ? null : text;
        });
        assertThat(spend).matches("\\$0\\.0+[1-9]\\d* / \\$5\\.00");

        // and the spend view, by key and by model
        clickAndAwaitLoad("tab-spend", "spend");
        wait.until(d -> !rows("spend-models-body").isEmpty() && !rows("spend-keys-body").isEmpty());
        assertThat(rows("spend-models-body")).anySatisfy(r -> {
            assertThat(r.findElement(By.className("spend-name")).getText()).isEqualTo(ProxyLoad.MODEL);
            assertThat(r.findElement(By.className("spend-cost")).getText()).matches("\\$0\\.0+[1-9]\\d*");
        });
        assertThat(rows("spend-keys-body")).anySatisfy(r ->
                assertThat(r.findElement(By.className("spend-cost")).getText()).matches("\\$0\\.0+[1-9]\\d*"));

        // and the deployment is healthy
        clickAndAwaitLoad("tab-deployments", "deployments");
        wait.until(d -> !rows("deployments-body").isEmpty());
        assertThat(rows("deployments-body")).anySatisfy(r -> {
            assertThat(r.findElement(By.className("deployment-id")).getText()).isEqualTo("load-upstream");
            assertThat(r.findElement(By.className("deployment-status")).getText()).isEqualToIgnoringCase("healthy");
        });

        // and deleting the key in the page (two clicks: arm, confirm) removes it, and the key stops working
        clickAndAwaitLoad("tab-keys", "keys");
        WebElement delete = wait.until(d -> keyRow("browser-key")).findElement(By.className("delete-key"));
        delete.click();
        wait.until(ExpectedConditions.textToBePresentInElement(delete, "Confirm"));
        delete.click();
        wait.until(d -> keyRow("browser-key") == null);
        try (Response response = http.newCall(chat(key)).execute()) {
            assertThat(response.code()).as("chat with the deleted key").isEqualTo(401);
        }

        // the page kept the master key in session storage only, and ran without script errors
        assertThat(browser.executeScript("return localStorage.length")).isEqualTo(0L);
        assertThat(scriptErrors()).isEmpty();
    }

    @Test
    void givenWrongMasterKey_whenLoggingIn_thenShowsErrorAndNoData() throws Exception {
        // given: a key exists, so there would be data to show
        ProxyLoad.generateKey(http, proxy.baseUrl(), "secret-alias");

        // when
        logIn("sk-wrong-master-key");

        // then
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
        assertThat(error.getText()).contains("refused").doesNotContain("sk-wrong-master-key");
        assertThat(browser.findElement(By.id("login-view")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("nav")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("keys-view")).isDisplayed()).isFalse();
        assertThat(rows("keys-body")).isEmpty();
        assertThat(browser.getPageSource()).doesNotContain("secret-alias");
        assertThat(browser.executeScript("return sessionStorage.length")).isEqualTo(0L);
    }

    @Test
    void givenAliasWithHtml_whenListed_thenRenderedAsText() throws Exception {
        // given: a key whose alias is markup that would run script if parsed as HTML
        String alias = "<img src=x onerror=\"window.__pwned=1\"><b>bold</b>";
        ProxyLoad.generateKey(http, proxy.baseUrl(), alias);

        // when
        logIn(ProxyLoad.MASTER_KEY);

        // then: shown as text, no element created from it, no script run
        WebElement row = wait.until(d -> keyRow(alias));
        assertThat(row.findElement(By.className("key-alias")).getText()).isEqualTo(alias);
        assertThat(browser.findElements(By.cssSelector("main img, main b"))).isEmpty();
        assertThat(browser.executeScript("return typeof window.__pwned")).isEqualTo("undefined");
    }

    private void logIn(String masterKey) {
        browser.get(proxy.baseUrl() + "/ui");
        WebElement field = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("master-key")));
        field.sendKeys(masterKey);
        browser.findElement(By.id("login")).click();
    }

    /** Clicks {@code id} and waits until the page has loaded {@code view} afresh (its tables rebuilt). */
    private void clickAndAwaitLoad(String id, String view) {
        Object before = browser.executeScript("return document.body.dataset.loaded || ''");
        browser.findElement(By.id(id)).click();
        wait.until(d -> {
            Object now = browser.executeScript("return document.body.dataset.loaded || ''");
            return !now.equals(before) && now.toString().startsWith(view + ":");
        });
    }

    /** The keys table's row whose alias cell is {@code alias}, or null (for waits). */
    private WebElement keyRow(String alias) {
        for (WebElement r : rows("keys-body")) {
            if (r.findElement(By.className("key-alias")).getText().equals(alias)) {
                return r;
            }
        }
        return null;
    }

    private List<WebElement> rows(String tbodyId) {
        return browser.findElements(By.cssSelector("#" + tbodyId + " tr"));
    }

    private List<String> scriptErrors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> m.contains("Uncaught") || m.contains("Content Security Policy") || m.contains("Refused"))
                .collect(Collectors.toList());
    }

    private Request chat(String key) {
        String body = "{\"model\":\"" + ProxyLoad.MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        return new Request.Builder().url(proxy.baseUrl() + "/v1/chat/completions").header("Authorization", "Bearer " + key)
                .post(RequestBody.create(body.getBytes(StandardCharsets.UTF_8), JSON)).build();
    }
}
