"""The portal's own date formats, where Django's defaults for a language do not fit its readers
(settings.FORMAT_MODULE_PATH). What a module here leaves out comes from Django's."""
