//! A real browser for the integration tests: headless Chromium driven through chromedriver
//! (W3C WebDriver) with `fantoccini`, plus axe-core for accessibility checks.
//!
//! Every [`Browser`] starts its own chromedriver on a port the system picks, in its own process
//! group with its own Chromium profile in a temporary folder; dropping the `Browser` kills that
//! process group (chromedriver and the Chromium it started) and removes the profile, so tests
//! can run in parallel and a failing test leaves nothing behind.
//!
//! Chromium, chromedriver and axe-core are installed by `scripts/install-test-tools`; when one
//! is missing the test fails (it is never skipped) and says so.
//!
//! With JavaScript switched off ([`Browser::without_javascript`]) Chromium runs no page script,
//! but WebDriver's own commands still work: finding elements, typing, clicking, keyboard
//! actions, the active element, cookies, screenshots, and even a synchronous "execute script",
//! which chromedriver runs through the DevTools protocol regardless of the page's content
//! setting. What does not work there is anything waiting on the page's event loop: a
//! `setTimeout` or `queueMicrotask` callback never runs, so an asynchronous script that waits
//! on one ends in "script timeout" (found with Chromium 156). axe-core's `axe.run` does, so
//! [`Browser::axe`] refuses a session without JavaScript: check a page's accessibility in a
//! [`Browser::start`] session (the markup a server renders is the same in both).
//!
//! The methods panic with the selector or URL in the message instead of returning errors:
//! they are for tests.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::cookies::Cookie;
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde::Deserialize;
use serde_json::{Value, json};

/// The WebDriver server (Debian's `chromium-driver` package).
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The browser (Debian's `chromium` package).
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// axe-core, as `scripts/install-test-tools` installs it (pinned version, integrity checked).
pub const AXE_JS: &str = "/usr/local/share/safeguarding-forms-test/axe.min.js";

/// The axe-core tags for WCAG 2.2 level AA: every A and AA rule of WCAG 2.0, 2.1 and 2.2.
pub const WCAG_TAGS: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/// How long [`Browser::wait_for`] waits for an element to appear.
pub const WAIT: Duration = Duration::from_secs(10);

/// What to tell someone whose machine lacks a tool.
const INSTALL: &str = "run scripts/install-test-tools as root to install it";

/// One accessibility failure axe-core found: a rule and the elements that break it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Violation {
    /// The rule's id, such as `label` or `color-contrast`.
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: Option<String>,
    /// What the rule asks for, in a sentence.
    pub help: String,
    /// Deque's page about the rule.
    pub help_url: String,
    /// A CSS selector for each failing element.
    pub targets: Vec<String>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {} at {} <{}>",
            self.id,
            self.impact.as_deref().unwrap_or("no impact given"),
            self.help,
            self.targets.join(", "),
            self.help_url
        )
    }
}

/// A chromedriver process in its own process group; the group is killed on drop.
struct Chromedriver {
    child: Child,
    url: String,
}

impl Chromedriver {
    fn start() -> Chromedriver {
        assert!(
            Path::new(CHROMEDRIVER).exists(),
            "no {CHROMEDRIVER}: {INSTALL}"
        );
        // Asked for any free port, chromedriver sometimes picks one it then cannot bind ("IPv4
        // port not available. Exiting..."), a race with the other tests' listeners: that alone
        // is tried again, a few times; anything else fails the test.
        let mut banners = Vec::new();
        for _ in 0..3 {
            match Self::try_start() {
                Ok(driver) => return driver,
                Err(banner) if banner.contains("port not available") => banners.push(banner),
                Err(banner) => panic!("chromedriver ended before saying its port:\n{banner}"),
            }
        }
        panic!(
            "chromedriver found no port three times:\n{}",
            banners.join("\n")
        );
    }

    /// Starts chromedriver, or gives what it printed before it ended without a port.
    fn try_start() -> Result<Chromedriver, String> {
        let mut child = Command::new(CHROMEDRIVER)
            .arg("--port=0")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("{CHROMEDRIVER}: {e}; {INSTALL}"));
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let mut banner = String::new();
        let port = loop {
            let mut line = String::new();
            let read = stdout
                .read_line(&mut line)
                .expect("reads chromedriver's banner");
            banner.push_str(&line);
            if read == 0 {
                let _ = child.kill();
                let _ = child.wait();
                return Err(banner);
            }
            // "ChromeDriver was started successfully on port 41263."
            if let Some(rest) = line.split("started successfully on port ").nth(1) {
                break rest
                    .trim()
                    .trim_end_matches('.')
                    .parse::<u16>()
                    .unwrap_or_else(|e| {
                        panic!("chromedriver's port in {line:?}: {e}");
                    });
            }
        };
        // chromedriver may log more later; keep reading so it never blocks on a full pipe.
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut stdout, &mut std::io::sink());
        });
        Ok(Chromedriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        })
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // The whole group: chromedriver and the Chromium processes it started.
        let group = self.child.id() as libc::pid_t;
        // SAFETY: kill(2) with a negative pid signals the process group we created for this child.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
        let _ = self.child.wait();
    }
}

/// A headless Chromium session (1280 × 1000), with its own chromedriver and profile.
pub struct Browser {
    client: Client,
    javascript: bool,
    // Dropped after `client`, in this order: the processes go, then their profile folder.
    _driver: Chromedriver,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// A session with JavaScript on.
    pub async fn start() -> Browser {
        Browser::launch(true).await
    }

    /// A session with JavaScript off for every page (Chromium's content setting
    /// `profile.managed_default_content_settings.javascript = 2`), as a user who has turned it
    /// off sees the service: no page script runs and `<noscript>` content is shown.
    pub async fn without_javascript() -> Browser {
        Browser::launch(false).await
    }

    async fn launch(javascript: bool) -> Browser {
        assert!(Path::new(CHROMIUM).exists(), "no {CHROMIUM}: {INSTALL}");
        let profile = tempfile::Builder::new()
            .prefix("browser-test-profile-")
            .tempdir()
            .expect("a profile folder");
        let driver = tokio::task::spawn_blocking(Chromedriver::start)
            .await
            .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
        let mut options = json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--window-size=1280,1000",
                "--lang=en-GB",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        });
        if !javascript {
            options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert("goog:chromeOptions".into(), options);
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver.url)
            .await
            .unwrap_or_else(|e| panic!("a Chromium session through chromedriver: {e}"));
        Browser {
            client,
            javascript,
            _driver: driver,
            _profile: profile,
        }
    }

    /// Whether page scripts run in this session.
    pub fn javascript(&self) -> bool {
        self.javascript
    }

    /// The fantoccini client, for anything this harness does not wrap.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Opens a URL and waits for the page to load.
    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("opening {url}: {e}"));
    }

    /// The address of the page shown.
    pub async fn current_url(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("the current URL")
            .to_string()
    }

    /// The page's title.
    pub async fn title(&self) -> String {
        self.client.title().await.expect("the title")
    }

    /// The first element matching a CSS selector; panics if there is none.
    pub async fn find(&self, css: &str) -> Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => panic!("no {css} on {}: {e}", self.current_url_quiet().await),
        }
    }

    /// The first element matching a CSS selector, if there is one.
    pub async fn try_find(&self, css: &str) -> Option<Element> {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => Some(element),
            Err(e) if e.is_no_such_element() => None,
            Err(e) => panic!("finding {css}: {e}"),
        }
    }

    /// Every element matching a CSS selector, in document order (none is not an error).
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("finding all {css}: {e}"))
    }

    /// Waits up to [`WAIT`] for an element matching a CSS selector (after a navigation or a
    /// script change), and returns it.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("waiting {WAIT:?} for {css}: {e}"))
    }

    /// Clears a field, then types into it as a user would (key by key).
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field
            .clear()
            .await
            .unwrap_or_else(|e| panic!("clearing {css}: {e}"));
        field
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("typing into {css}: {e}"));
    }

    /// Clicks an element (scrolled into view first, as WebDriver does).
    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("clicking {css}: {e}"));
    }

    /// Clicks an element that sends a form or follows a link, and waits until the page it was
    /// on has gone. Waiting for an element after a plain [`Browser::click`] is a race when the
    /// element is on both pages (an `h1`, a hidden count): WebDriver may answer from the old
    /// page before the new one arrives.
    pub async fn click_to_leave(&self, css: &str) {
        let page = self.find("html").await;
        self.click(css).await;
        let started = std::time::Instant::now();
        loop {
            match page.tag_name().await {
                // Chromium says the old page has gone in one of three ways.
                Err(e)
                    if e.is_stale_element_reference()
                        || e.is_no_such_element()
                        || e.to_string().contains("does not belong to the document") =>
                {
                    return;
                }
                Err(e) => panic!("after clicking {css}: {e}"),
                Ok(_) if started.elapsed() > WAIT => {
                    panic!(
                        "clicking {css} left {} open for {WAIT:?}",
                        self.current_url_quiet().await
                    )
                }
                Ok(_) => tokio::time::sleep(Duration::from_millis(25)).await,
            }
        }
    }

    /// Presses and releases one key on the keyboard, wherever focus is.
    pub async fn press(&self, key: Key) {
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: key.into() })
            .then(KeyAction::Up { value: key.into() });
        self.client
            .perform_actions(keys)
            .await
            .unwrap_or_else(|e| panic!("pressing {key:?}: {e}"));
    }

    /// Presses Tab: focus moves to the next focusable element.
    pub async fn press_tab(&self) {
        self.press(Key::Tab).await;
    }

    /// Presses Shift+Tab: focus moves to the previous focusable element.
    pub async fn press_shift_tab(&self) {
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down {
                value: Key::Shift.into(),
            })
            .then(KeyAction::Down {
                value: Key::Tab.into(),
            })
            .then(KeyAction::Up {
                value: Key::Tab.into(),
            })
            .then(KeyAction::Up {
                value: Key::Shift.into(),
            });
        self.client
            .perform_actions(keys)
            .await
            .unwrap_or_else(|e| panic!("pressing Shift+Tab: {e}"));
    }

    /// Presses Enter (in a text field, that submits its form).
    pub async fn press_enter(&self) {
        self.press(Key::Enter).await;
    }

    /// The `id` of the element that has focus, if it has one (`None` also when nothing but the
    /// page itself has focus).
    pub async fn active_id(&self) -> Option<String> {
        let active = self
            .client
            .active_element()
            .await
            .expect("the active element");
        active
            .attr("id")
            .await
            .expect("the active element's id")
            .filter(|id| !id.is_empty())
    }

    /// The page's HTML as the browser now has it (after any script changed it).
    pub async fn source(&self) -> String {
        self.client.source().await.expect("the page source")
    }

    /// The visible text of the first element matching a CSS selector.
    pub async fn text(&self, css: &str) -> String {
        self.find(css)
            .await
            .text()
            .await
            .unwrap_or_else(|e| panic!("the text of {css}: {e}"))
    }

    /// An attribute of the first element matching a CSS selector.
    pub async fn attr(&self, css: &str, name: &str) -> Option<String> {
        self.find(css)
            .await
            .attr(name)
            .await
            .unwrap_or_else(|e| panic!("{name} of {css}: {e}"))
    }

    /// Every cookie the browser would send to the page shown.
    pub async fn cookies(&self) -> Vec<Cookie<'static>> {
        self.client.get_all_cookies().await.expect("the cookies")
    }

    /// One cookie of the page shown, by name.
    pub async fn cookie(&self, name: &str) -> Option<Cookie<'static>> {
        match self.client.get_named_cookie(name).await {
            Ok(cookie) => Some(cookie),
            Err(e) if e.is_no_such_cookie() => None,
            Err(e) => panic!("the cookie {name}: {e}"),
        }
    }

    /// Sets a cookie (WebDriver only sets cookies for the current page's domain, so open a page
    /// of the site first). Give it a domain and a SameSite value (`Cookie::parse("a=b; Domain=...;
    /// Path=/; SameSite=Lax")`): without a domain chromedriver answers "invalid 'domain'", and
    /// without SameSite fantoccini sends `None`, which Chromium refuses on a cookie that is not
    /// `Secure`. [`Browser::set_cookie`] does both.
    pub async fn add_cookie(&self, cookie: Cookie<'static>) {
        let name = cookie.name().to_owned();
        self.client
            .add_cookie(cookie)
            .await
            .unwrap_or_else(|e| panic!("setting the cookie {name}: {e}"));
    }

    /// Sets a cookie `name=value` for the page shown's host, path `/`, `SameSite=Lax`.
    pub async fn set_cookie(&self, name: &str, value: &str) {
        let url = self.client.current_url().await.expect("the current URL");
        let host = url.host_str().expect("a page with a host").to_owned();
        // Parsed because fantoccini does not re-export the `cookie` crate's `SameSite`.
        let cookie = Cookie::parse(format!(
            "{name}={value}; Domain={host}; Path=/; SameSite=Lax"
        ))
        .unwrap_or_else(|e| panic!("the cookie {name}={value}: {e}"))
        .into_owned();
        self.add_cookie(cookie).await;
    }

    /// Deletes one cookie of the page shown, by name.
    pub async fn delete_cookie(&self, name: &str) {
        self.client
            .delete_cookie(name)
            .await
            .unwrap_or_else(|e| panic!("deleting the cookie {name}: {e}"));
    }

    /// Deletes every cookie of the page shown.
    pub async fn delete_all_cookies(&self) {
        self.client
            .delete_all_cookies()
            .await
            .expect("deleting the cookies");
    }

    /// Writes a PNG of the viewport to `path`, and returns its bytes.
    pub async fn screenshot(&self, path: &Path) -> Vec<u8> {
        let png = self.client.screenshot().await.expect("a screenshot");
        std::fs::write(path, &png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        png
    }

    /// Runs a script in the page (the body of a function; `arguments` holds `args`) and
    /// returns what it returns. It runs even in a session without JavaScript.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("running a script: {e}"))
    }

    /// Runs axe-core on the page shown with the rules of the given tags (see [`WCAG_TAGS`]),
    /// and returns the violations (none is a pass). Reads axe-core from [`AXE_JS`]: fails if
    /// it is not installed. Only in a session with JavaScript (see the module's notes).
    pub async fn axe(&self, tags: &[&str]) -> Vec<Violation> {
        assert!(
            self.javascript,
            "axe-core cannot run in a session without JavaScript (Chromium fires no timers \
             there and axe.run waits on them): check the page in a Browser::start() session"
        );
        let loaded = self
            .execute("return typeof window.axe === 'object';", vec![])
            .await;
        if loaded != json!(true) {
            let source = std::fs::read_to_string(AXE_JS)
                .unwrap_or_else(|e| panic!("axe-core is not installed ({AXE_JS}: {e}): {INSTALL}"));
            self.execute(&source, vec![]).await;
        }
        let result = self
            .client
            .execute_async(
                r#"const [tags, done] = arguments;
axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
  .then((results) => done({ violations: results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    targets: v.nodes.map((node) => node.target.map(String).join(' >>> ')),
  })) }))
  .catch((error) => done({ error: String(error && error.stack || error) }));"#,
                vec![json!(tags)],
            )
            .await
            .unwrap_or_else(|e| panic!("running axe-core: {e}"));
        if let Some(error) = result.get("error") {
            panic!("axe-core failed: {error}");
        }
        serde_json::from_value(result["violations"].clone())
            .unwrap_or_else(|e| panic!("axe-core's answer {result}: {e}"))
    }

    /// Runs axe-core with [`WCAG_TAGS`] and fails, listing every violation, if there is any.
    pub async fn assert_accessible(&self) {
        let violations = self.axe(WCAG_TAGS).await;
        if !violations.is_empty() {
            let list: Vec<String> = violations.iter().map(|v| format!("  {v}")).collect();
            panic!(
                "{} breaks WCAG 2.2 AA:\n{}",
                self.current_url_quiet().await,
                list.join("\n")
            );
        }
    }

    /// Ends the WebDriver session cleanly (dropping the `Browser` also ends it, by killing
    /// chromedriver and Chromium).
    pub async fn close(self) {
        let Browser {
            client,
            _driver,
            _profile,
            ..
        } = self;
        let _ = client.close().await;
    }

    async fn current_url_quiet(&self) -> String {
        match self.client.current_url().await {
            Ok(url) => url.to_string(),
            Err(e) => format!("(no URL: {e})"),
        }
    }
}
