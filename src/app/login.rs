//! The login screen: an access token, or username and password with the captcha flows
//! (reCaptcha: errorCode 33; image captcha: 30).

use super::dialog::{input_key, input_paste};
use super::keymap::Action;
use ratatui::crossterm::event::KeyEvent;
use tui_input::Input;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginMode {
    Password,
    Token,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginField {
    Mode,
    Token,
    Username,
    Password,
    Captcha,
}

#[derive(Debug, Clone)]
pub struct CaptchaPrompt {
    /// reCaptcha (true) or image captcha (false).
    pub recaptcha: bool,
    pub challenge: String,
    /// The page (reCaptcha) or image (captcha) to look at.
    pub url: String,
    pub answer: Input,
}

#[derive(Debug, Clone)]
pub struct LoginForm {
    pub mode: LoginMode,
    pub field: LoginField,
    pub token: Input,
    pub username: Input,
    pub password: Input,
    pub captcha: Option<CaptchaPrompt>,
    /// A request is in flight.
    pub busy: bool,
    pub error: Option<String>,
    /// Why the screen is shown ("the session ended").
    pub reason: Option<String>,
}

impl Default for LoginForm {
    fn default() -> Self {
        LoginForm {
            mode: LoginMode::Password,
            field: LoginField::Username,
            token: Input::default(),
            username: Input::default(),
            password: Input::default(),
            captcha: None,
            busy: false,
            error: None,
            reason: None,
        }
    }
}

/// What the login form asks for after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginAction {
    None,
    SubmitToken(String),
    SubmitPassword,
}

impl LoginForm {
    pub fn with_username(username: Option<String>) -> LoginForm {
        let mut f = LoginForm::default();
        if let Some(u) = username {
            f.username = Input::new(u);
            f.field = LoginField::Password;
        }
        f
    }

    /// The fields shown, in Tab order.
    pub fn fields(&self) -> Vec<LoginField> {
        let mut v = vec![LoginField::Mode];
        match self.mode {
            LoginMode::Token => v.push(LoginField::Token),
            LoginMode::Password => {
                v.push(LoginField::Username);
                v.push(LoginField::Password);
                if self.captcha.is_some() {
                    v.push(LoginField::Captcha);
                }
            }
        }
        v
    }

    fn step(&mut self, forward: bool) {
        let fields = self.fields();
        let i = fields.iter().position(|f| *f == self.field).unwrap_or(0);
        let n = fields.len();
        self.field = fields[if forward { (i + 1) % n } else { (i + n - 1) % n }];
    }

    fn input_mut(&mut self) -> Option<&mut Input> {
        match self.field {
            LoginField::Mode => None,
            LoginField::Token => Some(&mut self.token),
            LoginField::Username => Some(&mut self.username),
            LoginField::Password => Some(&mut self.password),
            LoginField::Captcha => self.captcha.as_mut().map(|c| &mut c.answer),
        }
    }

    pub fn paste(&mut self, text: &str) {
        let text = text.trim();
        if let Some(input) = self.input_mut() {
            input_paste(input, text);
        }
    }

    /// Whether printable keys are typed into a field (not on the mode switch).
    pub fn typing(&self) -> bool {
        self.field != LoginField::Mode
    }

    /// `a`: what the login layer binds the key to; other keys edit the field.
    pub fn handle_key(&mut self, a: Option<Action>, key: &KeyEvent) -> LoginAction {
        if self.busy {
            return LoginAction::None;
        }
        match a {
            Some(Action::NextField) => self.step(true),
            Some(Action::PrevField) => self.step(false),
            Some(Action::Cancel) => self.error = None,
            Some(Action::Submit) => return self.submit(),
            Some(Action::ChangeNext) if self.field == LoginField::Mode => {
                self.mode = match self.mode {
                    LoginMode::Password => LoginMode::Token,
                    LoginMode::Token => LoginMode::Password,
                };
            }
            _ => {
                if let Some(input) = self.input_mut() {
                    input_key(input, key);
                }
            }
        }
        LoginAction::None
    }

    fn submit(&mut self) -> LoginAction {
        match self.mode {
            LoginMode::Token => {
                let t = self.token.value().trim().to_string();
                if t.is_empty() {
                    self.error = Some("enter the access token".into());
                    self.field = LoginField::Token;
                    return LoginAction::None;
                }
                LoginAction::SubmitToken(t)
            }
            LoginMode::Password => {
                if self.username.value().trim().is_empty() {
                    self.error = Some("enter the username".into());
                    self.field = LoginField::Username;
                    return LoginAction::None;
                }
                if self.password.value().is_empty() {
                    self.error = Some("enter the password".into());
                    self.field = LoginField::Password;
                    return LoginAction::None;
                }
                if let Some(c) = &self.captcha
                    && c.answer.value().trim().is_empty()
                {
                    self.error = Some("enter the captcha answer".into());
                    self.field = LoginField::Captcha;
                    return LoginAction::None;
                }
                LoginAction::SubmitPassword
            }
        }
    }

    /// The login request for the password form (with the captcha answer when one was asked).
    pub fn request(&self) -> crate::api::LoginRequest {
        let mut req = crate::api::LoginRequest {
            username: self.username.value().trim().to_string(),
            password: self.password.value().to_string(),
            ..Default::default()
        };
        if let Some(c) = &self.captcha {
            let answer = Some(c.answer.value().trim().to_string());
            if c.recaptcha {
                req.re_captcha_challenge = Some(c.challenge.clone());
                req.re_captcha_response = answer;
            } else {
                req.captcha_challenge = Some(c.challenge.clone());
                req.captcha_response = answer;
            }
        }
        req
    }
}
