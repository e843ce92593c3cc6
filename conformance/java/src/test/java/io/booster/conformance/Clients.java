package io.booster.conformance;

import java.lang.reflect.Method;

/**
 * Facts about the client under test, and reflection for the few calls that
 * exist in only one client line (the suite compiles against 4.9.x and 5.x).
 */
public final class Clients {
    /** The rocketmq-client version on the class path (from the pom). */
    public static final String VERSION = System.getProperty("rocketmq.client.version", "unknown");
    public static final int MAJOR = parseMajor(VERSION);
    /** Every client uses the broker's VIP channel (listenPort - 2). */
    public static final boolean VIP = Boolean.getBoolean("conformance.vip");
    public static final String SERIALIZE_TYPE = System.getProperty("rocketmq.serialize.type", "JSON");

    private Clients() {
    }

    private static int parseMajor(String v) {
        try {
            return Integer.parseInt(v.substring(0, v.indexOf('.')));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    public static boolean is5() {
        return MAJOR >= 5;
    }

    /** Calls the public method name on target with args (matched by count and assignability). */
    public static Object invoke(Object target, String name, Object... args) {
        for (Method m : target.getClass().getMethods()) {
            if (!m.getName().equals(name) || m.getParameterCount() != args.length) {
                continue;
            }
            Class<?>[] pt = m.getParameterTypes();
            boolean ok = true;
            for (int i = 0; i < pt.length && ok; i++) {
                ok = args[i] == null || box(pt[i]).isInstance(args[i]);
            }
            if (!ok) {
                continue;
            }
            try {
                return m.invoke(target, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException) {
                    throw (RuntimeException) c;
                }
                throw new IllegalStateException(name + ": " + c, c);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no method " + name + "/" + args.length + " on " + target.getClass().getName() + " in client " + VERSION);
    }

    /** Enum constant by class name. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Object enumConst(String className, String constant) {
        try {
            return Enum.valueOf((Class) Class.forName(className), constant);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(className + " is not in client " + VERSION, e);
        }
    }

    private static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        if (c == int.class) return Integer.class;
        if (c == long.class) return Long.class;
        if (c == boolean.class) return Boolean.class;
        if (c == short.class) return Short.class;
        if (c == byte.class) return Byte.class;
        if (c == char.class) return Character.class;
        if (c == double.class) return Double.class;
        return Float.class;
    }
}
