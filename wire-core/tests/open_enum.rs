//! `open_enum!`: known values as variants, the rest kept verbatim, the same through every
//! path serde takes (borrowed, transient and owned strings), and a clear error for a value of
//! another type.

wire_core::open_enum! {
    /// A test enum.
    pub enum Role {
        /// `"user"`.
        User = "user",
        /// `"assistant"`.
        Assistant = "assistant",
    }
}

#[test]
fn known_and_unknown_values_through_every_string_path() {
    // serde_json::from_str: a borrowed string.
    assert_eq!(
        serde_json::from_str::<Role>(r#""user""#).unwrap(),
        Role::User
    );
    // An escaped string is unescaped first (a transient string).
    assert_eq!(
        serde_json::from_str::<Role>(r#""\u0075ser""#).unwrap(),
        Role::User
    );
    // serde_json::Value hands its strings over owned (visit_string).
    assert_eq!(
        serde_json::from_value::<Role>(serde_json::json!("tool")).unwrap(),
        Role::Other("tool".to_owned())
    );
    assert_eq!(Role::from(String::from("assistant")), Role::Assistant);
    assert_eq!(Role::Other("tool".into()).as_str(), "tool");
    assert_eq!(
        serde_json::to_string(&Role::Assistant).unwrap(),
        r#""assistant""#
    );
}

#[test]
fn a_value_of_another_type_says_a_string_was_expected() {
    let error = serde_json::from_str::<Role>("1").unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid type: integer `1`, expected a string at line 1 column 1"
    );
}
