//! [`open_enum!`](crate::open_enum): the string enums of every wire crate whose set of values
//! grows over time.

/// Defines a string enum whose set of values grows over time: each known value gets a variant,
/// anything else is kept verbatim in `Other(String)`, so nothing a server sends is lost or
/// rejected.
///
/// The enum gets `as_str` (the wire spelling), `From<&str>`, `From<String>` (an unknown value
/// moves into `Other` without a copy), `Display`, and serde's `Serialize` / `Deserialize` as a
/// JSON string (a known value is matched without allocating). It is `#[non_exhaustive]`, with
/// `Debug`, `Clone`, `PartialEq`, `Eq` and `Hash`.
///
/// ```
/// wire_core::open_enum! {
///     /// Why generation stopped.
///     pub enum Reason {
///         /// `"stop"`.
///         Stop = "stop",
///         /// `"length"`.
///         Length = "length",
///     }
/// }
///
/// assert_eq!(Reason::from("stop"), Reason::Stop);
/// assert_eq!(Reason::from("load"), Reason::Other("load".to_owned()));
/// assert_eq!(serde_json::from_str::<Reason>(r#""length""#)?, Reason::Length);
/// assert_eq!(serde_json::to_string(&Reason::Other("load".into()))?, r#""load""#);
/// assert_eq!(Reason::Stop.to_string(), "stop");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this crate does not know (yet), kept exactly as it was sent.
            Other(::std::string::String),
        }

        impl $name {
            /// The value as it is spelled on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $text, )+
                    Self::Other(s) => s,
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $text => Self::$variant, )+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(s: ::std::string::String) -> Self {
                match s.as_str() {
                    $( $text => Self::$variant, )+
                    _ => Self::Other(s),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                deserializer.deserialize_str($crate::__private::OpenEnumVisitor::<$name>::new())
            }
        }
    };
}

/// The string visitor behind [`open_enum!`]'s `Deserialize`: a borrowed or transient string
/// goes through `From<&str>`, an owned one through `From<String>`.
#[doc(hidden)]
pub struct OpenEnumVisitor<T>(std::marker::PhantomData<T>);

impl<T> OpenEnumVisitor<T> {
    #[doc(hidden)]
    pub fn new() -> Self {
        Self(std::marker::PhantomData)
    }
}

impl<T> Default for OpenEnumVisitor<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: for<'a> From<&'a str> + From<String>> serde::de::Visitor<'_> for OpenEnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from(v))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<T, E> {
        Ok(T::from(v))
    }
}
